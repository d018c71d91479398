import {
  KARMADA_NAME_MAX,
  CILIUM_NAME_MAX,
  ciliumIdentityProblems,
  clusterIDProblems,
  clusterSetSplits,
  defineRule,
  factOrigin,
  identityDisagreements,
  type CiliumIdentityProblem,
  type IdentityClaim,
  type Report,
  PER_CLUSTER_ALTERNATIVES,
} from './kit.js';

const label = (c: IdentityClaim) => `${c.fact.source.origin} "${c.fact.value}"`;
const OTHER = 'The other is {{otherOrigin}}.';
const ONE_NAME = 'Components that exchange cluster names (Submariner, MCS, Cilium Cluster Mesh, Istio) then disagree about which cluster is which. Use one name everywhere.';
const MESH_ID = 'A cluster in a Cluster Mesh needs a non-zero, unique ID';

// Hints: what the controllers do, and how to fix it.
const NAME_MISMATCH = 'Findings, related places and naming rules use "{{cluster}}", the controllers use "{{value}}". Use one name.';
const CILIUM_DEFAULT = 'Cluster Mesh needs a unique name for each cluster; Cilium refuses "default" with a non-zero ID. Set cluster.name.';
const CILIUM_UNSET = 'The agent refuses the default name with a cluster ID (cannot use default cluster name (default) with option cluster-id). Set cluster.name.';
const INVALID_ID = `Submariner refuses to join it ({{value}} is not a valid ClusterID {{errors}}), and the MCS API puts the ID in DNS names and label values. Use a lower-case RFC 1123 label of at most 63 characters.`;
const DUPLICATE_ID = `${OTHER} Cluster IDs must be unique across all clusters of a ClusterSet; Submariner and the MCS controllers treat both as one cluster, so endpoints and exports of one overwrite the other's. Give each cluster its own ID.`;
const SPLIT = `${OTHER} The clusters belong to different ClusterSets, so MCS never merges their exports. Give every cluster of the set the same clusterset.k8s.io value.`;
const CILIUM_NAME = `A Cilium cluster name has at most ${CILIUM_NAME_MAX} characters, lower-case alphanumerics and '-', starting and ending with an alphanumeric; the Cilium agent refuses to start. Rename the cluster.`;
const CILIUM_MAX = `${OTHER} Every cluster of a mesh must use the same value, as it changes how identities are encoded. Set it equally everywhere.`;
const CILIUM_RANGE = 'The Cilium agent refuses to start. The range is 1 to 255, or 1 to 511 with clustermesh.maxConnectedClusters: 511.';
const CILIUM_DUP_ID = `${OTHER} Cluster Mesh encodes the ID in every security identity, so the two clusters' identities collide and policies misfire. Give each cluster a unique ID.`;

/** The report for a Cilium identity problem of the model's `ciliumIdentityProblems`. */
function ciliumReport(p: CiliumIdentityProblem): Report {
  const { facts, max } = p;
  const data = { cluster: p.cluster.name, name: facts.clusterName?.value ?? '', id: facts.clusterID?.value ?? 0, max };
  const at = { at: p.at, cluster: p.cluster.name };
  if (p.kind === 'duplicateName' || p.kind === 'duplicateID') {
    const fact = p.kind === 'duplicateName' ? p.other.facts.clusterName! : p.other.facts.clusterID!;
    const related = [
      { ...fact.source, cluster: p.other.cluster.name, otherSide: true as const, ...(p.kind === 'duplicateID' ? { message: `cluster.id of "${p.other.cluster.name}"` } : {}) },
    ];
    const own = p.kind === 'duplicateName' ? facts.clusterName! : facts.clusterID!;
    // The same duplicate told from the earlier cluster (when only its file changed).
    const mirror = {
      data: { ...data, cluster: p.other.cluster.name, other: p.cluster.name, otherOrigin: factOrigin(own) },
      ...(p.kind === 'duplicateID' ? { relatedMessage: `cluster.id of "${p.cluster.name}"` } : {}),
    };
    return {
      messageId: p.kind === 'duplicateName' ? 'ciliumDuplicateName' : 'ciliumDuplicateID',
      data: { ...data, other: p.other.cluster.name, otherOrigin: factOrigin(fact) },
      ...at,
      related,
      mirror,
    };
  }
  if (p.kind === 'maxConnectedMismatch') {
    const fact = p.other.facts.maxConnectedClusters!;
    const more = { value: p.value ?? '255 (default)', other: p.other.cluster.name, otherOrigin: factOrigin(fact) };
    // The text names both clusters: it reads the same at the other cluster's setting.
    const mirror = { relatedMessage: `clustermesh.maxConnectedClusters of cluster "${p.cluster.name}"` };
    return { messageId: 'ciliumMaxConnected', data: { ...data, ...more }, ...at, related: [{ ...fact.source, cluster: p.other.cluster.name, otherSide: true as const }], mirror };
  }
  const ids = {
    nameInvalid: 'ciliumNameInvalid',
    defaultNameWithID: 'ciliumDefaultName',
    nameUnset: 'ciliumNameUnset',
    idUnset: 'ciliumIDUnset',
    idOutOfRange: 'ciliumIDRange',
    idZero: 'ciliumIDZero',
  };
  return { messageId: ids[p.kind], data, ...at };
}

/**
 * `cluster-identity`: the names and IDs a cluster is known by agree, are valid and unique. The
 * claims, their disagreements, ID and ClusterSet comparisons and Cilium's checks are the model's
 * identity views (`src/model/views/identity.ts`); this rule words them. Names that disagree only between
 * per-cluster alternatives (two kind or kubeadm configs of one folder) give one note instead.
 *
 * Upstream: Submariner (`submariner-io/submariner` `pkg/...` join validation: "%s is not a valid
 * ClusterID %v", RFC-1123 label via `validation.IsDNS1123Label`; cluster IDs unique across the
 * set); KEP-2149 ClusterProperty (`cluster.clusterset.k8s.io` a DNS label, `clusterset.k8s.io`
 * equal across a set); Cilium (`pkg/clustermesh/types`: cluster name ≤ 32 characters and a
 * pattern, ID 1..255 or 1..511 with `maxConnectedClusters: 511`, unique); Karmada
 * (`ValidateClusterName`: at most 48 characters). Identity fields holding an unrendered
 * placeholder are unknown: never compared, never taken for a default or a missing value; the
 * `unrendered-placeholder` rule reports them.
 *
 * Primary location of the two-cluster findings (duplicate IDs and Cilium names, ClusterSet splits,
 * maxConnectedClusters): the cluster that comes later in the set (by name), against the first
 * cluster that holds the value — the manifests do not say which cluster joined first, and
 * Submariner, MCS and Cilium refuse or mix up both alike. With changed files known and only the
 * earlier cluster's file changed, they are reported there, worded from that side.
 */
export default defineRule({
  meta: {
    id: 'cluster-identity',
    description: 'Cluster IDs and names must be valid, unique in the ClusterSet, and agree across Submariner, ClusterProperty, Cilium, kubeadm and kind',
    severity: 'error',
    docs: 'docs/rules/cluster-identity.md',
    messages: {
      twoIdentities: { text: 'Cluster "{{cluster}}" has two identities: {{claim}} here, but {{reference}}.', hint: `The reference is {{referenceOrigin}}. ${ONE_NAME}` },
      nameMismatch: { text: 'Cluster "{{cluster}}" ({{nameOrigin}}) calls itself {{reference}} in its manifests.', hint: NAME_MISMATCH },
      perClusterAlternatives: PER_CLUSTER_ALTERNATIVES,
      karmadaNameTooLong: {
        text: 'Karmada Cluster name "{{name}}" has {{length}} characters, more than {{max}}.',
        hint: 'Karmada rejects member cluster names longer than {{max}}. Shorten the name.',
      },
      invalidID: { text: '{{field}} "{{value}}" is not a valid cluster ID.', hint: INVALID_ID },
      duplicateID: { text: 'Cluster ID "{{value}}" of cluster "{{cluster}}" is also the ID of cluster "{{other}}".', hint: DUPLICATE_ID },
      clusterSetSplit: { text: 'ClusterProperty clusterset.k8s.io of cluster "{{cluster}}" says "{{value}}", but cluster "{{other}}" says "{{otherValue}}".', hint: SPLIT },
      ciliumNameInvalid: { text: 'Cilium cluster name "{{name}}" of cluster "{{cluster}}" is invalid.', hint: CILIUM_NAME },
      ciliumDefaultName: { text: 'Cilium cluster name is "default" while cluster.id is {{id}}.', hint: CILIUM_DEFAULT },
      ciliumDuplicateName: {
        text: 'Cilium cluster name "{{name}}" of cluster "{{cluster}}" is also used by cluster "{{other}}".',
        hint: `${OTHER} Cluster Mesh identifies clusters by name. Give each cluster its own name.`,
      },
      ciliumMaxConnected: { text: 'clustermesh.maxConnectedClusters of cluster "{{cluster}}" is {{value}}, but cluster "{{other}}" uses 511.', hint: CILIUM_MAX },
      ciliumNameUnset: { text: 'Cilium cluster.name of cluster "{{cluster}}" is not set, so it is Cilium\'s default "default", while cluster.id is {{id}}.', hint: CILIUM_UNSET },
      ciliumIDUnset: {
        text: 'Cilium cluster.id of cluster "{{cluster}}" is not set, so it is 0.',
        hint: `${MESH_ID} (remote clusters reject ClusterID 0, which is reserved). Set cluster.id between 1 and 255.`,
      },
      ciliumIDRange: { text: 'Cilium cluster.id {{id}} of cluster "{{cluster}}" is out of range: it must be between 1 and {{max}}.', hint: CILIUM_RANGE },
      ciliumIDZero: { text: 'Cilium cluster.id of cluster "{{cluster}}" is 0.', hint: `${MESH_ID} (0 means "not in a mesh"). Set cluster.id between 1 and {{max}}.` },
      ciliumDuplicateID: { text: 'Cilium cluster.id {{id}} of cluster "{{cluster}}" is also the ID of cluster "{{other}}".', hint: CILIUM_DUP_ID },
    },
  },
  check({ set, report }) {
    for (const cluster of set.clusters) {
      const split = identityDisagreements(cluster);
      for (const claim of split?.claims ?? []) {
        const data = { cluster: cluster.name, claim: label(claim), reference: label(split!.reference), referenceOrigin: factOrigin(split!.reference.fact) };
        const related = [{ ...split!.reference.fact.source, message: label(split!.reference) }];
        report({ messageId: 'twoIdentities', data, at: claim.fact.source, cluster: cluster.name, related, severity: 'warn' });
      }
      if (split?.alternatives) {
        const { kind, at, other, names } = split.alternatives;
        const data = { cluster: cluster.name, kind, files: [...names].sort().join(' and ') };
        report({ messageId: 'perClusterAlternatives', data, at, cluster: cluster.name, severity: 'info', related: [{ ...other, message: `${other.origin} in ${names[1]}` }] });
      }
      if (split?.declared) {
        const name = split.declared;
        const data = { cluster: cluster.name, nameOrigin: name.source.origin, reference: label(split.reference), value: split.reference.fact.value };
        const related = [{ ...name.source, message: `${name.source.origin} "${name.value}"` }];
        report({ messageId: 'nameMismatch', data, at: split.reference.fact.source, cluster: cluster.name, related, severity: 'warn' });
      }
      for (const { name } of cluster.identity.karmadaClusters) {
        const data = { name: name.value, length: name.value.length, max: KARMADA_NAME_MAX };
        if (name.value.length > KARMADA_NAME_MAX) report({ messageId: 'karmadaNameTooLong', data, at: name.source, cluster: cluster.name });
      }
    }
    for (const { cluster, fact, errors, first } of clusterIDProblems(set)) {
      const data = { field: fact.source.origin, value: fact.value, cluster: cluster.name };
      if (errors !== undefined) report({ messageId: 'invalidID', data: { ...data, errors }, at: fact.source, cluster: cluster.name });
      else if (first) {
        const related = [{ ...first.fact.source, cluster: first.cluster.name, otherSide: true as const, message: `cluster ID of "${first.cluster.name}"` }];
        const mirror = {
          data: { field: first.fact.source.origin, value: first.fact.value, cluster: first.cluster.name, other: cluster.name, otherOrigin: factOrigin(fact) },
          relatedMessage: `cluster ID of "${cluster.name}"`,
        };
        report({
          messageId: 'duplicateID',
          data: { ...data, other: first.cluster.name, otherOrigin: factOrigin(first.fact) },
          at: fact.source,
          cluster: cluster.name,
          related,
          mirror,
        });
      }
    }
    for (const { cluster, fact, reference } of clusterSetSplits(set)) {
      const data = { cluster: cluster.name, value: fact.value, other: reference.cluster.name, otherValue: reference.fact.value, otherOrigin: factOrigin(reference.fact) };
      const related = [{ ...reference.fact.source, cluster: reference.cluster.name, otherSide: true as const, message: `clusterset.k8s.io "${reference.fact.value}"` }];
      const mirror = {
        data: { cluster: reference.cluster.name, value: reference.fact.value, other: cluster.name, otherValue: fact.value, otherOrigin: factOrigin(fact) },
        relatedMessage: `clusterset.k8s.io "${fact.value}"`,
      };
      report({ messageId: 'clusterSetSplit', data, at: fact.source, cluster: cluster.name, related, mirror });
    }
    for (const problem of ciliumIdentityProblems(set)) report(ciliumReport(problem));
  },
});
