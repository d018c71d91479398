/**
 * Identity views: what the model's identity facts say about a cluster once they are put side by
 * side (the objects that describe a cluster, the names and IDs it claims). Pure functions of a
 * ClusterSet's facts; they hold no state, so nothing here outlives a run.
 */
import type { Place } from '../../base/types.js';
import type { CiliumFacts, ClusterIdentity, ClusterModel, ClusterSetModel, Fact } from '../types.js';
import { alternativeOf, type PerClusterAlternatives } from '../alternatives.js';

/** An object that carries a cluster's labels (a ClusterProperty or a Karmada `Cluster`). */
export type LabelCarrier = ClusterIdentity['clusterPropertyObjects'][number];

/**
 * The objects that carry `cluster`'s labels: its own ClusterProperty objects (KEP-2149
 * `about.k8s.io/v1alpha1`), then the Karmada `Cluster` objects of any cluster of `set` whose
 * `metadata.name` is the cluster's name (Karmada's control plane holds the member clusters'
 * objects, so they may live in another cluster's folder). Order: ClusterProperties first, then
 * Karmada Clusters in the set's cluster order.
 */
export function labelCarriers(set: ClusterSetModel, cluster: ClusterModel): LabelCarrier[] {
  const karmada = set.clusters.flatMap((c) => c.identity.karmadaClusters).filter((k) => k.name.value === cluster.name);
  return [...cluster.identity.clusterPropertyObjects, ...karmada];
}

/** Kubernetes' `IsDNS1123Label`: what Submariner and the MCS API require of a cluster ID. */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Cilium `pkg/clustermesh/types`: at most 32 characters, lower-case alphanumerics and dashes. */
const CILIUM_NAME = /^([a-z0-9][-a-z0-9]*)?[a-z0-9]$/;
/** Cilium's limit on `cluster.name` (`pkg/clustermesh/types` `ValidateClusterName`). */
export const CILIUM_NAME_MAX = 32;
/** Karmada's limit on member cluster names (`ValidateClusterName`). */
export const KARMADA_NAME_MAX = 48;

/**
 * Why `id` is not an RFC-1123 label, in Kubernetes' validation wording (apimachinery
 * `validation.IsDNS1123Label`, as Submariner prints it: `[msg msg]`); undefined when valid.
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

/** One identity statement about a cluster: where it comes from and what it says; `isID`: used as a cluster ID (DNS label rules apply). */
export interface IdentityClaim {
  readonly fact: Fact<string>;
  readonly isID: boolean;
}

/** A fact of one cluster of a set. */
export interface IdentityFact<T> {
  readonly cluster: ClusterModel;
  readonly fact: Fact<T>;
}

/**
 * Every identity a cluster's manifests state, strongest first (the first one is the reference):
 * Submariner `clusterID`s, ClusterProperty `cluster.clusterset.k8s.io`, Cilium `cluster.name`,
 * kubeadm `clusterName`, kind `name` (not kind's default). Istio's `multiCluster.clusterName` is
 * compared by `istio-mesh-identity`, so it is not listed here.
 */
export function identityClaims(cluster: ClusterModel): IdentityClaim[] {
  const { identity } = cluster;
  return [
    ...identity.clusterIDs.map((fact) => ({ fact, isID: true })),
    ...identity.clusterProperty.map((fact) => ({ fact, isID: true })),
    ...cluster.cilium.flatMap((c) => (c.clusterName ? [{ fact: c.clusterName, isID: false }] : [])),
    ...identity.kubeadm.map((fact) => ({ fact, isID: false })),
    ...identity.kind.filter((f) => !f.isDefault).map((fact) => ({ fact, isID: false })),
  ];
}

/**
 * How one cluster's identities disagree: `claims` whose value differs from the `reference` (the
 * strongest claim), each (value, origin) once; and `declared`, the cluster's name when it is
 * declared (config or `--cluster`, never a directory name: that is repository layout, and KEP-2149
 * lets cluster IDs be anything unique) and differs from the reference. A claim from a per-cluster
 * alternative of every claim that agrees with the reference (two kind `Cluster` configs or kubeadm
 * `ClusterConfiguration`s of one folder: `perClusterAlternatives`) is no disagreement: the first
 * such claim is `alternatives`. Undefined without claims.
 */
export function identityDisagreements(
  cluster: ClusterModel,
): { reference: IdentityClaim; claims: IdentityClaim[]; declared?: Fact<string>; alternatives?: PerClusterAlternatives } | undefined {
  const all = identityClaims(cluster);
  if (all.length === 0) return undefined;
  const reference = all[0];
  const agreeing = all.filter((claim) => claim.fact.value === reference.fact.value).map((claim) => claim.fact.source);
  const seen = new Set<string>();
  let alternatives: PerClusterAlternatives | undefined;
  const claims = all.slice(1).filter((claim) => {
    const key = claim.fact.value + claim.fact.source.origin;
    if (claim.fact.value === reference.fact.value || seen.has(key)) return false;
    const alternative = alternativeOf(cluster, claim.fact.source, agreeing);
    if (alternative) {
      alternatives ??= alternative;
      return false;
    }
    seen.add(key);
    return true;
  });
  const name = cluster.nameSource;
  const declared = reference.fact.value !== name.value && name.source.origin !== 'directory name' ? name : undefined;
  return { reference, claims, declared, ...(alternatives && { alternatives }) };
}

/**
 * The cluster IDs (Submariner `clusterID`, ClusterProperty `cluster.clusterset.k8s.io`) of a set
 * that are not RFC-1123 labels (`errors`, see `dns1123LabelErrors`), or that repeat an ID of an
 * earlier cluster (`first`: that cluster's first claim). Each value counts once per cluster.
 */
export function clusterIDProblems(set: ClusterSetModel): (IdentityFact<string> & { errors?: string; first?: IdentityFact<string> })[] {
  const owner = new Map<string, IdentityFact<string>>();
  const out: (IdentityFact<string> & { errors?: string; first?: IdentityFact<string> })[] = [];
  for (const cluster of set.clusters) {
    const seenHere = new Set<string>();
    for (const { fact } of identityClaims(cluster).filter((c) => c.isID)) {
      const errors = dns1123LabelErrors(fact.value);
      if (errors) {
        out.push({ cluster, fact, errors });
        continue;
      }
      if (seenHere.has(fact.value)) continue;
      seenHere.add(fact.value);
      const first = owner.get(fact.value);
      if (first) out.push({ cluster, fact, first });
      else owner.set(fact.value, { cluster, fact });
    }
  }
  return out;
}

/**
 * ClusterProperty `clusterset.k8s.io` values (KEP-2149: equal in every cluster of a ClusterSet)
 * that differ from the set's first one (`reference`).
 */
export function clusterSetSplits(set: ClusterSetModel): (IdentityFact<string> & { reference: IdentityFact<string> })[] {
  let reference: IdentityFact<string> | undefined;
  const out: (IdentityFact<string> & { reference: IdentityFact<string> })[] = [];
  for (const cluster of set.clusters) {
    for (const fact of cluster.identity.clusterSet) {
      if (!reference) reference = { cluster, fact };
      else if (fact.value !== reference.fact.value) out.push({ cluster, fact, reference });
    }
  }
  return out;
}

/**
 * A Cilium Cluster Mesh identity problem of one install (Cilium `pkg/clustermesh/types`
 * `ValidateClusterID`/`ValidateClusterName`, the agent's option checks):
 * - `nameInvalid`: `cluster.name` longer than 32 characters or not lower-case alphanumerics and '-';
 * - `defaultNameWithID`: `cluster.name: default` with a non-zero `cluster.id`;
 * - `nameUnset`: no `cluster.name` (so "default") with a non-zero `cluster.id`;
 * - `duplicateName` / `duplicateID`: the name or ID of an earlier cluster's install (`other`);
 * - `maxConnectedMismatch`: `clustermesh.maxConnectedClusters` not 511 (`value`, undefined for
 *   the default 255) while another install (`other`) uses 511;
 * - `idUnset`: a meshed install (a clustermesh section, two or more installs in a mesh) without
 *   `cluster.id` (so 0); `idZero`: `cluster.id: 0` in a mesh; `idOutOfRange`: outside 0..`max`
 *   (255, or 511 with `maxConnectedClusters: 511`).
 * `at` is where the finding goes; placeholders are unknown, never defaults.
 */
export type CiliumIdentityProblem = { readonly cluster: ClusterModel; readonly at: Place; readonly max: number } & (
  | { readonly kind: 'nameInvalid' | 'defaultNameWithID' | 'nameUnset' | 'idUnset' | 'idOutOfRange' | 'idZero'; readonly facts: CiliumFacts }
  | { readonly kind: 'duplicateName' | 'duplicateID'; readonly facts: CiliumFacts; readonly other: { readonly cluster: ClusterModel; readonly facts: CiliumFacts } }
  | { readonly kind: 'maxConnectedMismatch'; readonly facts: CiliumFacts; readonly value?: number; readonly other: { readonly cluster: ClusterModel; readonly facts: CiliumFacts } }
);

/** Every Cilium identity problem of `set` (see `CiliumIdentityProblem`), install by install in cluster order. */
export function ciliumIdentityProblems(set: ClusterSetModel): CiliumIdentityProblem[] {
  const installs = set.clusters.flatMap((cluster) => cluster.cilium.map((facts) => ({ cluster, facts })));
  // A mesh: two or more installs with an ID (known or a placeholder) or a clustermesh section (a missing ID is then 0).
  const idUnknown = (facts: CiliumFacts) => facts.unrendered?.includes('clusterID') === true;
  const mesh = installs.filter((i) => i.facts.clusterID !== undefined || idUnknown(i.facts) || i.facts.clusterMesh).length >= 2;
  const max511 = installs.find((i) => i.facts.maxConnectedClusters?.value === 511);
  const idOwner = new Map<number, (typeof installs)[number]>();
  const nameOwner = new Map<string, (typeof installs)[number]>();
  const out: CiliumIdentityProblem[] = [];
  for (const install of installs) {
    const { cluster, facts } = install;
    const { clusterName: name, clusterID: id, maxConnectedClusters: maxConnected } = facts;
    const max = maxConnected?.value === 511 ? 511 : 255;
    const problem = { cluster, facts, max };
    if (name) {
      if (name.value.length > CILIUM_NAME_MAX || !CILIUM_NAME.test(name.value)) out.push({ ...problem, kind: 'nameInvalid', at: name.source });
      else if (name.value === 'default' && id && id.value !== 0) out.push({ ...problem, kind: 'defaultNameWithID', at: name.source });
      const other = nameOwner.get(name.value);
      if (other && other.cluster !== cluster) out.push({ ...problem, kind: 'duplicateName', at: name.source, other });
      else if (!other) nameOwner.set(name.value, install);
    }
    if (max511 && (maxConnected?.value ?? 255) !== 511)
      out.push({ ...problem, kind: 'maxConnectedMismatch', at: maxConnected?.source ?? facts.at, value: maxConnected?.value, other: max511 });
    if (!name && !facts.unrendered?.includes('clusterName') && id && id.value !== 0) out.push({ ...problem, kind: 'nameUnset', at: id.source });
    if (!id) {
      // A placeholder ID is unknown, not Cilium's default 0 (`unrendered-placeholder` reports it).
      if (mesh && facts.clusterMesh && !idUnknown(facts)) out.push({ ...problem, kind: 'idUnset', at: facts.at });
      continue;
    }
    if (id.value < 0 || id.value > max) out.push({ ...problem, kind: 'idOutOfRange', at: id.source });
    else if (id.value === 0) {
      if (mesh) out.push({ ...problem, kind: 'idZero', at: id.source });
    } else {
      const other = idOwner.get(id.value);
      if (other && other.cluster !== cluster) out.push({ ...problem, kind: 'duplicateID', at: id.source, other });
      else if (!other) idOwner.set(id.value, install);
    }
  }
  return out;
}
