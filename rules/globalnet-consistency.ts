import { cidrText, defineRule, factOrigin } from './kit.js';

const HINT =
  'With no Broker in the repository, subctl decides GlobalNet per cluster from spec.globalCIDR ("Globalnet deployment detected" or "Non-Globalnet deployment detected"): a cluster without one routes real pod and Service IPs while {{other}} expects global IPs, so traffic between them is dropped. The globalCIDR of {{other}} is {{otherOrigin}}. Give every Submariner cluster a globalCIDR (or none), or enable GlobalNet on the Broker so subctl join allocates one.';

/**
 * `globalnet-consistency`: GlobalNet all-or-none. With no Submariner Broker in the repository,
 * whether GlobalNet is on can only be read per cluster from its Submariner CR's
 * `spec.globalCIDR`; a set where some Submariner clusters have one and others do not mixes
 * GlobalNet and non-GlobalNet clusters, which cannot reach each other. Reported at each
 * Submariner CR without a `globalCIDR` (its `spec`), with the first cluster (by name) that has one
 * as the related place. With a Broker in the repository `globalnet-allocation` judges the plan
 * (allocations for clusters without a globalCIDR, or globalCIDRs ignored with GlobalNet off).
 *
 * Upstream: subctl (submariner-io/subctl `pkg/diagnose/deployment.go`, `checkOverlappingCIDRs`)
 * branches on `Submariner.Spec.GlobalCIDR != ""` per cluster ("Globalnet deployment detected -
 * checking if globalnet CIDRs overlap" versus "Non-Globalnet deployment detected - checking if
 * cluster CIDRs overlap"); the GlobalNet controller only runs in clusters deployed with a
 * globalCIDR (submariner-io/submariner `pkg/globalnet`), and Submariner documents GlobalNet as a
 * setting of the whole ClusterSet (submariner.io, "Globalnet Controller").
 */
export default defineRule({
  meta: {
    id: 'globalnet-consistency',
    description: 'Without a Broker in the repository, either every Submariner cluster of a ClusterSet has a globalCIDR or none does',
    severity: 'error',
    docs: 'docs/rules/globalnet-consistency.md',
    messages: {
      missingGlobalCIDR: {
        text: 'Cluster "{{cluster}}" joins Submariner without a globalCIDR while cluster "{{other}}" uses GlobalNet with globalCIDR {{globalCIDR}}.',
        hint: HINT,
      },
    },
  },
  check({ set, report }) {
    if (set.clusters.some((c) => c.brokers.length > 0)) return;
    const joined = set.clusters.filter((c) => c.submariner.length > 0);
    const global = joined.find((c) => c.network.globalCIDRs.length > 0);
    if (!global) return;
    const fact = global.network.globalCIDRs[0];
    for (const cluster of joined) {
      if (cluster.network.globalCIDRs.length > 0) continue;
      const { file, doc, path } = cluster.submariner[0].settings;
      const at = { file, doc, path };
      report({
        messageId: 'missingGlobalCIDR',
        data: { cluster: cluster.name, other: global.name, globalCIDR: cidrText(fact.value), otherOrigin: factOrigin(fact) },
        at,
        cluster: cluster.name,
        related: [{ ...fact.source, cluster: global.name, otherSide: true as const, message: `globalCIDR ${fact.value.text} of cluster "${global.name}"` }],
        // The text names both clusters: it reads the same at the GlobalNet cluster's globalCIDR.
        mirror: { relatedMessage: `Submariner of cluster "${cluster.name}", without a globalCIDR` },
      });
    }
  },
});
