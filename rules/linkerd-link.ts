import {
  defineRule,
  fieldPlace,
  linkerdLinkProblems,
  namespacedName,
  objectLabel,
  serviceNamePlace,
  type LinkProblem,
  type MessageData,
  type MirrorProblem,
  type RelatedPlace,
} from './kit.js';

const LINK = 'Link "{{link}}" in cluster "{{cluster}}"';
const REF = '{{object}} in cluster "{{cluster}}" sends traffic to mirror Service "{{mirror}}"';
/** Where the reference to the mirror is, first in the hints of the `ref*` messages. */
const VIA = 'The reference is {{via}}.';
const MIRROR = 'Mirror Service "{{mirror}}" in cluster "{{cluster}}"';
const NO_LINK_HINT =
  'The service mirror creates "<svc>-<targetClusterName>" only for a Link with that targetClusterName, so this Service never exists or gets no endpoints and the traffic fails. {{basis}} Link the cluster (linkerd multicluster link --cluster-name {{target}}) or name an existing mirror.';
const NO_EXPORT_HINT =
  'The service mirror mirrors only the Services of the target that the Link selects ({{selector}}), so "{{mirror}}" has no endpoints. Create or label "{{exported}}" in cluster "{{target}}" so that the Link selects it, or stop using the mirror.';
const NO_POD_HINT =
  'For an exported headless Service the service mirror creates one endpoint mirror "<pod hostname>-{{target}}" per pod, so "{{mirror}}" exists only while that pod runs. Scale the StatefulSet or name a pod it runs.';

/** The message data of a Link problem. */
function linkData(p: LinkProblem): MessageData {
  const base = { link: namespacedName(p.link.object.namespace, p.link.object.name ?? ''), cluster: p.source.name, target: p.link.targetClusterName.value };
  if (p.kind === 'unknownTarget') return base;
  if (p.kind === 'gatewayIdentityForm') return { ...base, actual: p.actual };
  return { ...base, target: p.target.name, actual: p.actual, expected: p.expected.value, defaulted: p.expected.isDefault ? " (Linkerd's default)" : '' };
}

/** The message data of a mirror problem. */
function mirrorData(p: MirrorProblem): MessageData {
  const links = p.cluster.linkerdLinks.map((l) => l.targetClusterName.value);
  const basis = p.assumed
    ? 'The repository has no Link, so mclint assumes clusters link under their own names.'
    : links.length > 0
      ? `Cluster "${p.cluster.name}" has Links for ${links.join(', ')}.`
      : `Cluster "${p.cluster.name}" has no Link.`;
  const exported = `Service "${namespacedName(p.namespace, p.exported)}"`;
  const replicas = p.statefulSet?.replicas;
  const why =
    p.kind === 'noPod' && p.statefulSet
      ? `has no pod "${p.pod}" (StatefulSet "${namespacedName(p.statefulSet.namespace, p.statefulSet.name)}" has ${replicas} replica${replicas === 1 ? '' : 's'})`
      : p.statefulSet
        ? `does not export ${exported}, the headless Service of pod "${p.pod}" (${p.selector})`
        : p.targetService
          ? `does not export ${exported} (${p.selector})`
          : `has no ${exported}`;
  return {
    cluster: p.cluster.name,
    mirror: namespacedName(p.namespace, p.mirror),
    exported: namespacedName(p.namespace, p.exported),
    target: p.targetClusterName,
    basis,
    why,
    selector: p.selector ?? '',
    ...(p.ref && { object: objectLabel(p.ref.object), via: p.ref.via }),
  };
}

/**
 * `linkerd-link`: Linkerd multicluster Links checked against their target cluster — a
 * `targetClusterName` that names no cluster of the repository, a `targetClusterDomain` other
 * than the target's `clusterDomain`, a `gatewayIdentity` whose trust domain is not the target's
 * `identityTrustDomain` or whose namespace is not where the target runs `linkerd-gateway` — and
 * mirror Services `<svc>-<targetClusterName>` that HTTPRoutes, TrafficSplits and ServiceProfiles
 * name, or that the repository holds, for a Link that does not exist, a Service the Link's
 * selectors do not select (`selector`, `remoteDiscoverySelector`; the defaults when the Link
 * states none; nothing reported when one is left to apply time), or an endpoint mirror
 * `<statefulset>-<n>-<target>` of a pod the StatefulSet behind an exported headless Service does
 * not run. `linkerd-mirror` keeps the export labels and mirror name lengths/collisions. The
 * comparisons are the model's view (`src/model/views/linkerd-links.ts`).
 *
 * Upstream: linkerd/linkerd2 `multicluster/cmd/link.go` (what `linkerd multicluster link` writes
 * into the Link: `targetClusterName`, `targetClusterDomain`, `targetClusterLinkerdNamespace`,
 * `gatewayIdentity`, the selectors of `--selector`, `--remote-discovery-selector`),
 * `multicluster/service-mirror/cluster_watcher.go` (`mirrorServiceName`: mirrors
 * `<svc>-<targetClusterName>` of the Services `isExported` or `isRemoteDiscovery` select, deleted
 * with their Link), `multicluster/service-mirror/cluster_watcher_headless.go`
 * (`createOrUpdateHeadlessEndpoints`: endpoint mirrors `<hostname>-<targetClusterName>` for the
 * pods of exported headless Services), linkerd issues #9044 and #11668; Linkerd values
 * `clusterDomain` and `identityTrustDomain` (default `cluster.local`,
 * `charts/linkerd-control-plane/values.yaml`).
 */
export default defineRule({
  meta: {
    id: 'linkerd-link',
    description: 'Linkerd Links that disagree with their target cluster (name, domain, gateway identity); mirror Services of no Link or of an unexported Service',
    severity: 'error',
    docs: 'docs/rules/linkerd-link.md',
    messages: {
      unknownTarget: {
        text: `${LINK} has targetClusterName {{target}}, which names no cluster of the repository.`,
        hint: 'Mirrors of that Link are named "<svc>-{{target}}" and mclint cannot check the target. If the target is in the repository, use its cluster name (linkerd multicluster link --cluster-name <name>) or name its directory after it.',
      },
      clusterDomain: {
        text: `${LINK} has targetClusterDomain {{actual}}, but cluster "{{target}}" has clusterDomain {{expected}}{{defaulted}}.`,
        hint: 'Proxies send mirrored traffic to the gateway for "<svc>.<namespace>.svc.{{actual}}", a name the target cluster does not resolve, so requests through the gateway fail. Re-create the Link from the target (linkerd multicluster link) or set targetClusterDomain to {{expected}}.',
      },
      trustDomain: {
        text: `${LINK} expects gateway trust domain {{actual}}, but cluster "{{target}}" has identityTrustDomain {{expected}}{{defaulted}}.`,
        hint: "Proxies check the gateway's mTLS identity against gatewayIdentity; the gateway's certificate names the target's trust domain, so every connection through the gateway is refused. Set gatewayIdentity to end in .{{expected}} (re-run linkerd multicluster link).",
      },
      gatewayNamespace: {
        text: `${LINK} expects the gateway in namespace {{actual}}, but cluster "{{target}}" runs it in namespace {{expected}}.`,
        hint: "The gateway's identity names its namespace, so proxies refuse its certificate. Set gatewayIdentity to linkerd-gateway.{{expected}}.serviceaccount.identity.<linkerd namespace>.<trust domain> (re-run linkerd multicluster link).",
      },
      gatewayIdentityForm: {
        text: `${LINK} has gatewayIdentity {{actual}}, which is not a Linkerd proxy identity.`,
        hint: 'Linkerd proxy identities always have the form <service account>.<namespace>.serviceaccount.identity.<linkerd namespace>.<trust domain>, so no gateway certificate matches and connections through the gateway are refused. Use the identity linkerd multicluster link writes.',
      },
      refNoLink: { text: `${REF}, but cluster "{{cluster}}" has no Link for targetClusterName {{target}}.`, hint: `${VIA} ${NO_LINK_HINT}` },
      refNoExport: { text: `${REF}, but cluster "{{target}}" {{why}}.`, hint: `${VIA} ${NO_EXPORT_HINT}` },
      refNoPod: { text: `${REF}, but cluster "{{target}}" {{why}}.`, hint: `${VIA} ${NO_POD_HINT}` },
      mirrorNoLink: {
        text: `${MIRROR} belongs to targetClusterName {{target}}, but cluster "{{cluster}}" has no Link for {{target}}.`,
        hint: 'The service mirror creates and deletes mirrors itself and keeps none for a missing Link, so this checked-in Service has no endpoints. {{basis}} Remove it from the repository or add the Link.',
      },
      mirrorNoExport: {
        text: `${MIRROR} mirrors a Service of cluster "{{target}}", which {{why}}.`,
        hint: 'The service mirror keeps mirrors of the Services the Link selects only ({{selector}}), so this checked-in Service has no endpoints. Label "{{exported}}" in cluster "{{target}}" so that the Link selects it, or remove the mirror.',
      },
      mirrorNoPod: { text: `${MIRROR} mirrors a pod of cluster "{{target}}", which {{why}}.`, hint: NO_POD_HINT },
    },
  },
  check({ set, run, report }) {
    const view = linkerdLinkProblems(set, run);
    for (const p of view.links) {
      const related: RelatedPlace[] =
        'expected' in p && !p.expected.isDefault
          ? [{ ...p.expected.source, cluster: p.target.name, otherSide: true, message: `${p.expected.source.origin} in cluster "${p.target.name}"` }]
          : [];
      const at = p.kind === 'unknownTarget' ? p.link.targetClusterName.source : p.at;
      // The texts name both clusters: they read the same at the target cluster's setting.
      const mirror = related.length > 0 ? { mirror: { relatedMessage: `Link in cluster "${p.source.name}"` } } : {};
      report({ messageId: p.kind, data: linkData(p), at, cluster: p.source.name, related, ...mirror, ...(p.kind === 'unknownTarget' && { severity: 'warn' as const }) });
    }
    for (const p of view.mirrors) {
      const messageId = `${p.ref ? 'ref' : 'mirror'}${p.kind === 'noLink' ? 'NoLink' : p.kind === 'noPod' ? 'NoPod' : 'NoExport'}`;
      const related: RelatedPlace[] = [];
      if (p.kind === 'noPod' && p.statefulSet) {
        const st = p.statefulSet;
        related.push({ ...fieldPlace(st.object, 'metadata', 'name'), cluster: p.target?.name, otherSide: true, message: `StatefulSet in cluster "${p.target?.name}"` });
      } else if (p.targetService) {
        related.push({ ...serviceNamePlace(p.targetService), cluster: p.targetService.cluster, otherSide: true, message: `Service in cluster "${p.targetService.cluster}"` });
      } else if (p.link) related.push({ ...p.link.targetClusterName.source, message: `Link targetClusterName in cluster "${p.cluster.name}"` });
      // The texts name both clusters: they read the same at the target cluster's Service or StatefulSet.
      const mirror = p.targetService ? { mirror: { relatedMessage: `${p.ref ? 'reference' : 'mirror Service'} in cluster "${p.cluster.name}"` } } : {};
      report({ messageId, data: mirrorData(p), at: p.at, cluster: p.cluster.name, related, ...mirror });
    }
  },
});
