import { defineRule, factOrigin, type CiliumFacts, type ClusterModel, type ClusterSetModel, type Fact, type Report } from './kit.js';

/** Kubernetes' `IsDNS1123Label`: what Submariner and the MCS API require of a cluster ID. */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Cilium `pkg/clustermesh/types`: at most 32 characters, lower-case alphanumerics and dashes. */
const CILIUM_NAME = /^([a-z0-9][-a-z0-9]*)?[a-z0-9]$/;
const CILIUM_NAME_MAX = 32;
/** Karmada's limit on member cluster names (`ValidateClusterName`). */
const KARMADA_NAME_MAX = 48;

/**
 * Why `id` is not an RFC-1123 label, in Kubernetes' validation wording; undefined when valid.
 * @param id a cluster ID as written
 */
export function dns1123LabelErrors(id: string): string | undefined {
  const errors: string[] = [];
  if (id.length > 63) errors.push('must be no more than 63 characters');
  if (!DNS1123_LABEL.test(id)) {
    errors.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    );
  }
  return errors.length > 0 ? `[${errors.join(' ')}]` : undefined;
}

/** One identity statement about a cluster: where it comes from and what it says. */
interface Claim {
  readonly fact: Fact<string>;
  /** Whether the value is used as a cluster ID (DNS label rules apply). */
  readonly isID: boolean;
}

/**
 * Every identity a cluster's manifests state, strongest first (the first one is the reference).
 * Istio's `multiCluster.clusterName` is checked against these by `istio-mesh-identity`, so it is
 * not repeated here.
 */
function claims(cluster: ClusterModel): Claim[] {
  const { identity } = cluster;
  return [
    ...identity.clusterIDs.map((fact) => ({ fact, isID: true })),
    ...identity.clusterProperty.map((fact) => ({ fact, isID: true })),
    ...cluster.cilium.flatMap((c) => (c.clusterName ? [{ fact: c.clusterName, isID: false }] : [])),
    ...identity.kubeadm.map((fact) => ({ fact, isID: false })),
    ...identity.kind.filter((f) => !f.isDefault).map((fact) => ({ fact, isID: false })),
  ];
}

const label = (c: Claim) => `${c.fact.source.origin} "${c.fact.value}"`;

/** Sources of one cluster that disagree, each reported against the strongest one. */
function* disagreements(cluster: ClusterModel): Generator<Report> {
  const all = claims(cluster);
  if (all.length === 0) return;
  const reference = all[0];
  const reported = new Set<string>();
  for (const claim of all.slice(1)) {
    if (claim.fact.value === reference.fact.value || reported.has(claim.fact.value + claim.fact.source.origin)) continue;
    reported.add(claim.fact.value + claim.fact.source.origin);
    yield {
      message:
        `Cluster "${cluster.name}" has two identities: ${label(claim)} here, but ${label(reference)} (${factOrigin(reference.fact)}). ` +
        `Components that exchange cluster names (Submariner, MCS, Cilium Cluster Mesh, Istio) then disagree about which cluster is which. Use one name everywhere.`,
      at: claim.fact.source,
      cluster: cluster.name,
      related: [{ ...reference.fact.source, message: label(reference) }],
      severity: 'warn',
    };
  }
  // A directory name is repository layout, not an identity (and KEP-2149 lets cluster IDs be
  // anything unique, often a UUID): only a name declared in the config or by --cluster must match.
  const name = cluster.nameSource;
  if (reference.fact.value !== name.value && name.source.origin !== 'directory name') {
    yield {
      message:
        `Cluster "${cluster.name}" (${name.source.origin}) calls itself ${label(reference)} in its manifests: findings, related places and ` +
        `naming rules use "${cluster.name}", the controllers use "${reference.fact.value}". Use one name.`,
      at: reference.fact.source,
      cluster: cluster.name,
      related: [{ ...name.source, message: `${name.source.origin} "${name.value}"` }],
      severity: 'warn',
    };
  }
}

/** The cluster IDs of a set that fail RFC-1123 or repeat in another cluster. */
function* clusterIDs(set: ClusterSetModel): Generator<Report> {
  const owner = new Map<string, { cluster: ClusterModel; fact: Fact<string> }>();
  for (const cluster of set.clusters) {
    const seenHere = new Set<string>();
    for (const claim of claims(cluster).filter((c) => c.isID)) {
      const { fact } = claim;
      const errors = dns1123LabelErrors(fact.value);
      if (errors) {
        yield {
          message:
            `${fact.source.origin} "${fact.value}" is not a valid cluster ID: Submariner refuses to join it (${fact.value} is not a valid ClusterID ${errors}), ` +
            `and the MCS API puts the ID in DNS names and label values. Use a lower-case RFC 1123 label of at most 63 characters.`,
          at: fact.source,
          cluster: cluster.name,
        };
        continue;
      }
      if (seenHere.has(fact.value)) continue;
      seenHere.add(fact.value);
      const first = owner.get(fact.value);
      if (!first) {
        owner.set(fact.value, { cluster, fact });
        continue;
      }
      yield {
        message:
          `Cluster ID "${fact.value}" of cluster "${cluster.name}" is also the ID of cluster "${first.cluster.name}" (${factOrigin(first.fact)}): ` +
          `cluster IDs must be unique across all clusters of a ClusterSet; Submariner and the MCS controllers treat both as one cluster, ` +
          `so endpoints and exports of one overwrite the other's. Give each cluster its own ID.`,
        at: fact.source,
        cluster: cluster.name,
        related: [{ ...first.fact.source, cluster: first.cluster.name, message: `cluster ID of "${first.cluster.name}"` }],
      };
    }
  }
}

/** ClusterProperty `clusterset.k8s.io` must name the same ClusterSet in every cluster. */
function* clusterSetMembership(set: ClusterSetModel): Generator<Report> {
  let reference: { cluster: ClusterModel; fact: Fact<string> } | undefined;
  for (const cluster of set.clusters) {
    for (const fact of cluster.identity.clusterSet) {
      if (!reference) {
        reference = { cluster, fact };
        continue;
      }
      if (fact.value === reference.fact.value) continue;
      yield {
        message:
          `ClusterProperty clusterset.k8s.io of cluster "${cluster.name}" says "${fact.value}", but cluster "${reference.cluster.name}" says ` +
          `"${reference.fact.value}" (${factOrigin(reference.fact)}): the clusters belong to different ClusterSets, so MCS never merges their exports. ` +
          `Give every cluster of the set the same clusterset.k8s.io value.`,
        at: fact.source,
        cluster: cluster.name,
        related: [{ ...reference.fact.source, cluster: reference.cluster.name, message: `clusterset.k8s.io "${reference.fact.value}"` }],
      };
    }
  }
}

/** Cilium Cluster Mesh names and IDs (Cilium `pkg/clustermesh/types` `ValidateClusterID`/`ValidateClusterName`). */
function* cilium(set: ClusterSetModel): Generator<Report> {
  const installs = set.clusters.flatMap((cluster) => cluster.cilium.map((facts) => ({ cluster, facts })));
  // A mesh: two or more installs with an ID (known or a placeholder) or a clustermesh section (a
  // missing ID is then 0).
  const idUnknown = (facts: CiliumFacts) => facts.unrendered?.includes('clusterID') === true;
  const mesh = installs.filter((i) => i.facts.clusterID !== undefined || idUnknown(i.facts) || i.facts.clusterMesh).length >= 2;
  const max511 = installs.find((i) => i.facts.maxConnectedClusters?.value === 511);
  const idOwner = new Map<number, (typeof installs)[number]>();
  const nameOwner = new Map<string, (typeof installs)[number]>();
  for (const install of installs) {
    const { cluster, facts } = install;
    const name = facts.clusterName;
    const id = facts.clusterID;
    if (name) {
      if (name.value.length > CILIUM_NAME_MAX || !CILIUM_NAME.test(name.value)) {
        yield {
          message:
            `Cilium cluster name "${name.value}" is invalid: it must have at most ${CILIUM_NAME_MAX} characters, lower-case alphanumerics and '-', ` +
            `starting and ending with an alphanumeric; the Cilium agent refuses to start. Rename the cluster.`,
          at: name.source,
          cluster: cluster.name,
        };
      } else if (name.value === 'default' && id && id.value !== 0) {
        yield {
          message: `Cilium cluster name is "default" while cluster.id is ${id.value}: Cluster Mesh needs a unique name for each cluster; Cilium refuses "default" with a non-zero ID. Set cluster.name.`,
          at: name.source,
          cluster: cluster.name,
        };
      }
      const other = nameOwner.get(name.value);
      if (other && other.cluster !== cluster) {
        yield {
          message: `Cilium cluster name "${name.value}" of cluster "${cluster.name}" is also used by cluster "${other.cluster.name}" (${factOrigin(other.facts.clusterName!)}): Cluster Mesh identifies clusters by name. Give each cluster its own name.`,
          at: name.source,
          cluster: cluster.name,
          related: [{ ...other.facts.clusterName!.source, cluster: other.cluster.name }],
        };
      } else if (!other) nameOwner.set(name.value, install);
    }
    const maxConnected = facts.maxConnectedClusters;
    if (max511 && (maxConnected?.value ?? 255) !== 511) {
      yield {
        message:
          `clustermesh.maxConnectedClusters of cluster "${cluster.name}" is ${maxConnected?.value ?? '255 (default)'}, but cluster "${max511.cluster.name}" uses 511 ` +
          `(${factOrigin(max511.facts.maxConnectedClusters!)}): every cluster of a mesh must use the same value, as it changes how identities are encoded. Set it equally everywhere.`,
        at: maxConnected?.source ?? facts.at,
        cluster: cluster.name,
        related: [{ ...max511.facts.maxConnectedClusters!.source, cluster: max511.cluster.name }],
      };
    }
    if (!name && !facts.unrendered?.includes('clusterName') && id && id.value !== 0) {
      yield {
        message:
          `Cilium cluster.name of cluster "${cluster.name}" is not set, so it is Cilium's default "default", while cluster.id is ${id.value}: ` +
          `the agent refuses the default name with a cluster ID (cannot use default cluster name (default) with option cluster-id). Set cluster.name.`,
        at: id.source,
        cluster: cluster.name,
      };
    }
    if (!id) {
      // A placeholder ID is unknown, not Cilium's default 0 (`unrendered-placeholder` reports it).
      if (mesh && facts.clusterMesh && !idUnknown(facts)) {
        yield {
          message: `Cilium cluster.id of cluster "${cluster.name}" is not set, so it is 0: a cluster in a Cluster Mesh needs a non-zero, unique ID (remote clusters reject ClusterID 0, which is reserved). Set cluster.id between 1 and 255.`,
          at: facts.at,
          cluster: cluster.name,
        };
      }
      continue;
    }
    const max = maxConnected?.value === 511 ? 511 : 255;
    if (id.value < 0 || id.value > max) {
      yield {
        message: `Cilium cluster.id ${id.value} of cluster "${cluster.name}" is out of range: it must be between 1 and ${max}${max === 255 ? ' (511 with clustermesh.maxConnectedClusters: 511)' : ''}; the agent refuses to start.`,
        at: id.source,
        cluster: cluster.name,
      };
      continue;
    }
    if (id.value === 0) {
      if (mesh) {
        yield {
          message: `Cilium cluster.id of cluster "${cluster.name}" is 0: a cluster in a Cluster Mesh needs a non-zero, unique ID (0 means "not in a mesh"). Set cluster.id between 1 and ${max}.`,
          at: id.source,
          cluster: cluster.name,
        };
      }
      continue;
    }
    const other = idOwner.get(id.value);
    if (other && other.cluster !== cluster) {
      yield {
        message:
          `Cilium cluster.id ${id.value} of cluster "${cluster.name}" is also the ID of cluster "${other.cluster.name}" (${factOrigin(other.facts.clusterID!)}): ` +
          `Cluster Mesh encodes the ID in every security identity, so the two clusters' identities collide and policies misfire. Give each cluster a unique ID.`,
        at: id.source,
        cluster: cluster.name,
        related: [{ ...other.facts.clusterID!.source, cluster: other.cluster.name, message: `cluster.id of "${other.cluster.name}"` }],
      };
    } else if (!other) idOwner.set(id.value, install);
  }
}

/**
 * `cluster-identity`: the names and IDs a cluster is known by agree, are valid and unique.
 *
 * Upstream: Submariner (`submariner-io/submariner` `pkg/...` join validation: "%s is not a valid
 * ClusterID %v", RFC-1123 label via `validation.IsDNS1123Label`; cluster IDs unique across the
 * set); KEP-2149 ClusterProperty (`cluster.clusterset.k8s.io` a DNS label, `clusterset.k8s.io`
 * equal across a set); Cilium (`pkg/clustermesh/types`: cluster name ≤ 32 characters and a
 * pattern, ID 1..255 or 1..511 with `maxConnectedClusters: 511`, unique); Karmada
 * (`ValidateClusterName`: at most 48 characters). Identity fields holding an unrendered
 * placeholder are unknown: never compared, never taken for a default or a missing value; the
 * `unrendered-placeholder` rule reports them.
 */
export default defineRule({
  meta: {
    id: 'cluster-identity',
    description: 'Cluster IDs and names must be valid, unique in the ClusterSet, and agree across Submariner, ClusterProperty, Cilium, kubeadm and kind',
    severity: 'error',
    docs: 'docs/rules/cluster-identity.md',
  },
  check({ set, report }) {
    for (const cluster of set.clusters) {
      for (const r of disagreements(cluster)) report(r);
      for (const karmada of cluster.identity.karmadaClusters) {
        if (karmada.name.value.length <= KARMADA_NAME_MAX) continue;
        report({
          message: `Karmada Cluster name "${karmada.name.value}" has ${karmada.name.value.length} characters: Karmada rejects member cluster names longer than ${KARMADA_NAME_MAX}. Shorten the name.`,
          at: karmada.name.source,
          cluster: cluster.name,
        });
      }
    }
    for (const r of clusterIDs(set)) report(r);
    for (const r of clusterSetMembership(set)) report(r);
    for (const r of cilium(set)) report(r);
  },
});
