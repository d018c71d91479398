import { defineRule } from '../src/engine/types.js';
import type { UnrenderedFact, UnrenderedField } from '../src/model/types.js';

/** What mclint cannot check while a field of that kind is unknown, and how to make it known. */
const CONSEQUENCE: Record<UnrenderedField, string> = {
  identity:
    'mclint cannot check it against the other clusters (unique IDs, one name per cluster, one mesh). ' +
    'Render the manifests before linting (helm template, kustomize build, flux envsubst) to have it checked.',
  cidr:
    'mclint cannot check it for overlaps with the other clusters, and assumes no default in its place. ' +
    'Render the manifests before linting (helm template, kustomize build, flux envsubst), or declare the ' +
    'cluster\'s pod and service CIDRs in mclint.config.yaml (clusters[].podCIDRs, serviceCIDRs), to have it checked.',
  address:
    'mclint cannot check that it points at another cluster of the set. ' +
    'Render the manifests before linting (helm template, kustomize build, flux envsubst) to have it checked.',
};

/** The sentence naming the field and the placeholder. */
function statement(u: UnrenderedFact): string {
  return u.parent === undefined
    ? `${u.source.origin} is the unrendered placeholder "${u.value}": its value is decided at apply time.`
    : `"${u.parent}" is the unrendered placeholder "${u.value}", so ${u.source.origin} and every other setting below it are decided at apply time.`;
}

/**
 * `unrendered-placeholder`: a field that decides cross-cluster behaviour holds a placeholder
 * (`${CLUSTER_ID}`, `${POD_CIDR:=10.1.0.0/16}`, `$(VAR)`, `{{ .Values.x }}`, `<cluster-cidr>`), so
 * its value is decided at apply time and the cross-cluster rules cannot check it. Each such field
 * is reported once, as a warning, at the placeholder: cluster identities (Submariner `clusterID`,
 * ClusterProperty, Cilium `cluster.name`/`cluster.id`, Istio `meshID`/`clusterName`/`network`,
 * kubeadm and kind names), CIDRs (pod, service, node, GlobalNet, native routing, the Broker's
 * range) and remote addresses (Istio `global.remotePilotAddress`). The facts come from
 * `ClusterIdentity.unrendered`, filled by the fact sources (`src/model/sources/facts.ts`).
 *
 * Upstream: envsubst and Flux post-build substitution (fluxcd/pkg `envsubst`), Helm and
 * helmfile templates (`{{ }}`) and kustomize replacements fill these values when the manifests
 * are applied; until then no controller's rules (Submariner's unique cluster IDs, Cilium's
 * cluster ID range, disjoint pod CIDRs) can be checked on them. Placeholders are never `schema`
 * errors, never replaced by a tool's default and never duplicates of each other.
 */
export default defineRule({
  meta: {
    id: 'unrendered-placeholder',
    description: 'Cluster identities, CIDRs and remote addresses written as unrendered placeholders (decided at apply time, so not checked across clusters)',
    severity: 'warn',
    docs: 'docs/rules/unrendered-placeholder.md',
  },
  check({ set, report }) {
    for (const cluster of set.clusters) {
      for (const u of cluster.identity.unrendered) {
        report({ message: `${statement(u)} ${CONSEQUENCE[u.field]}`, at: u.source, cluster: cluster.name });
      }
    }
  },
});
