import { defineRule, type UnrenderedFact } from './kit.js';

/**
 * `unrendered-placeholder`: a field that decides cross-cluster behaviour holds a placeholder
 * (`${CLUSTER_ID}`, `${POD_CIDR:=10.1.0.0/16}`, `$(VAR)`, `{{ .Values.x }}`, `<cluster-cidr>`), so
 * its value is decided at apply time and the cross-cluster rules cannot check it. Each such field
 * is reported once, as a warning, at the placeholder: cluster identities (Submariner `clusterID`,
 * ClusterProperty, Cilium `cluster.name`/`cluster.id`, Istio `meshID`/`clusterName`/`network` and
 * a remote's injection path `istiodRemote.injectionPath` / the path of `injectionURL`, which pass its
 * cluster ID and network, kubeadm and kind names), CIDRs (pod, service, node, GlobalNet, native
 * routing, the Broker's range) and remote addresses (Istio `global.remotePilotAddress`, an
 * `injectionURL` whose host only is a placeholder). The facts come from `ClusterIdentity.unrendered`,
 * filled by the fact sources (`src/model/sources/facts.ts`; Istio's in `src/model/sources/istio.ts`).
 *
 * Upstream: envsubst and Flux post-build substitution (fluxcd/pkg `envsubst`), Helm and
 * helmfile templates (`{{ }}`) and kustomize replacements fill these values when the manifests
 * are applied; until then no controller's rules (Submariner's unique cluster IDs, Cilium's
 * cluster ID range, disjoint pod CIDRs) can be checked on them; istio/istio
 * `pkg/kube/inject/webhook.go` (`parseInjectEnvs`) reads a remote's cluster ID and network from the
 * injection webhook path. Placeholders are never `schema`
 * errors, never replaced by a tool's default and never duplicates of each other.
 */
/** The message id for a placeholder: its kind of field, and whether it is the field or a parent. */
function messageId(u: UnrenderedFact): string {
  return u.parent === undefined ? u.field : `${u.field}Parent`;
}

const RENDER = 'Render the manifests before linting (helm template, kustomize build, flux envsubst) to have it checked.';
const CIDR = `mclint cannot check it for overlaps with the other clusters, and assumes no default in its place. Render the manifests before linting (helm template, kustomize build, flux envsubst), or declare the cluster's pod and service CIDRs in mclint.config.yaml (clusters[].podCIDRs, serviceCIDRs), to have it checked.`;
const IDENTITY = `mclint cannot check it against the other clusters (unique IDs, one name per cluster, one mesh). ${RENDER}`;
const ADDRESS = `mclint cannot check that it points at another cluster of the set. ${RENDER}`;
const FIELD = '{{field}} is the unrendered placeholder "{{value}}": its value is decided at apply time.';
const PARENT = '"{{parent}}" is the unrendered placeholder "{{value}}", so {{field}} and every other setting below it are decided at apply time.';

export default defineRule({
  meta: {
    id: 'unrendered-placeholder',
    description: 'Cluster identities, CIDRs and remote addresses written as unrendered placeholders (decided at apply time, so not checked across clusters)',
    severity: 'warn',
    docs: 'docs/rules/unrendered-placeholder.md',
    messages: {
      identity: { text: FIELD, hint: IDENTITY },
      identityParent: { text: PARENT, hint: IDENTITY },
      cidr: { text: FIELD, hint: CIDR },
      cidrParent: { text: PARENT, hint: CIDR },
      address: { text: FIELD, hint: ADDRESS },
      addressParent: { text: PARENT, hint: ADDRESS },
    },
  },
  check({ set, report }) {
    for (const cluster of set.clusters) {
      for (const u of cluster.identity.unrendered) {
        const data = { field: u.source.origin, value: u.value, ...(u.parent !== undefined ? { parent: u.parent } : {}) };
        report({ messageId: messageId(u), data, at: u.source, cluster: cluster.name });
      }
    }
  },
});
