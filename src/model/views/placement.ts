/**
 * Placement views: whether what Karmada, KubeFed and Open Cluster Management are told to place
 * lands somewhere — member cluster names that name a member, Karmada policies the webhook admits,
 * resource selectors that select something, OCM Placements whose ManagedClusterSets exist and are
 * bound. Built once per ClusterSet (`viewOf`) from `ClusterFacts.placement`.
 */
import { editDistance } from '../../base/edit-distance.js';
import { compareValues } from '../../base/order.js';
import type { ClusterModel, ClusterSetModel, Fact, KarmadaPolicyFacts, KarmadaResourceSelectorFacts, OcmBindingFacts, OcmPlacementFacts, Source } from '../types.js';
import { identityClaims } from './identity.js';
import { viewKey, viewOf } from './cache.js';

/**
 * The member clusters a placement may name: the registry's objects (Karmada `Cluster`,
 * `KubeFedCluster`) when the repository has any (`via: 'registry'`); else the set's clusters —
 * their names and the identities their manifests claim (`via: 'set'`). `names` maps a member
 * name to the place that declares it (undefined for a cluster folder's name).
 */
export interface PlacementMembers {
  readonly via: 'registry' | 'set';
  readonly names: ReadonlyMap<string, Source | undefined>;
}

/** A cluster name a placement object names that is no member (`nearest`: the closest member name, a likely typo). */
export interface UnknownMember {
  readonly cluster: ClusterModel;
  readonly ref: Fact<string>;
  readonly members: PlacementMembers;
  readonly nearest?: { readonly name: string; readonly source?: Source };
}

/** The member name closest to `name` when it is a plausible typo (at most a quarter of its characters differ). */
function nearest(name: string, members: PlacementMembers): { name: string; source?: Source } | undefined {
  let best: { name: string; source?: Source } | undefined;
  let score = Infinity;
  for (const [member, source] of [...members.names].sort(([a], [b]) => compareValues(a, b))) {
    const d = editDistance(name, member);
    if (d < score) [best, score] = [{ name: member, source }, d];
  }
  return score <= Math.max(1, Math.floor(name.length / 4)) ? best : undefined;
}

/** The set's clusters as members: names, and the identities their manifests claim; undefined with fewer than two clusters (no fleet to compare). */
function setMembers(set: ClusterSetModel): PlacementMembers | undefined {
  if (set.clusters.length < 2) return undefined;
  const names = new Map<string, Source | undefined>();
  for (const cluster of set.clusters) {
    names.set(cluster.name, cluster.nameSource.source.origin === 'directory name' ? undefined : cluster.nameSource.source);
    for (const { fact } of identityClaims(cluster)) if (!names.has(fact.value)) names.set(fact.value, fact.source);
  }
  return { via: 'set', names };
}

/**
 * Members from registry facts, or the set's clusters when there are none. With registry facts, the
 * set's clusters count too: a Karmada member in Pull mode registers its own `Cluster` object
 * (karmada-agent `--cluster-name`, karmada docs "Cluster Registration"), so the Cluster objects
 * kept in a repository are often the Push-mode members only.
 */
function membersFrom(set: ClusterSetModel, registry: readonly Fact<string>[]): PlacementMembers | undefined {
  if (registry.length === 0) return setMembers(set);
  const names = new Map<string, Source | undefined>(registry.map((f) => [f.value, f.source] as const));
  for (const [name, source] of setMembers(set)?.names ?? []) if (!names.has(name)) names.set(name, source);
  return { via: 'registry', names };
}

/** Every reference of `refs` (per cluster) that names no member. */
function unknownMembers(set: ClusterSetModel, members: PlacementMembers | undefined, refs: (c: ClusterModel) => readonly Fact<string>[]): UnknownMember[] {
  if (!members) return [];
  return set.clusters.flatMap((cluster) =>
    refs(cluster)
      .filter((ref) => !members.names.has(ref.value))
      .map((ref) => ({ cluster, ref, members, nearest: nearest(ref.value, members) })),
  );
}

/** Related places for an unknown member (`what`: how a member's declaration is named, e.g. `Karmada Cluster`): the nearest member (did-you-mean), else the registry's objects (at most five). */
export function memberRelated(u: UnknownMember, what: string): (Source & { message: string })[] {
  if (u.nearest?.source) return [{ ...u.nearest.source, message: `${what} "${u.nearest.name}"` }];
  if (u.members.via !== 'registry') return [];
  return [...u.members.names]
    .filter((entry): entry is [string, NonNullable<(typeof entry)[1]>] => entry[1] !== undefined)
    .slice(0, 5)
    .map(([name, source]) => ({ ...source, message: `${what} "${name}"` }));
}

/** Message data for an unknown member (`object`: the referring object as messages name it): the name, the field, the policy, `suggestion` (` (did you mean "x"?)` or empty) and the known members. */
export function memberData(u: UnknownMember, object: string): Record<string, string> {
  const members = [...u.members.names.keys()].sort();
  return {
    name: u.ref.value,
    field: u.ref.source.origin.replace(/^\S+ /, ''),
    object,
    cluster: u.cluster.name,
    suggestion: u.nearest ? ` (did you mean "${u.nearest.name}"?)` : '',
    members: members.length > 8 ? `${members.slice(0, 8).join(', ')}, …` : members.join(', '),
  };
}

/**
 * The finding for an unknown member, as rules report it: `unknownCluster` (an error) when the
 * members come from the registry's objects, else `notInSet` (a warning: the repository may not
 * describe every member). `fallback` names the referring object when it has no kind; `what` names
 * a member's declaration (`Karmada Cluster`, `KubeFedCluster`).
 */
export function unknownMemberFinding(u: UnknownMember, fallback: string, what: string) {
  const object = `${u.ref.source.object?.kind ?? fallback} "${u.ref.source.object?.name ?? ''}"`;
  const registry = u.members.via === 'registry';
  return {
    messageId: registry ? 'unknownCluster' : 'notInSet',
    data: memberData(u, object),
    at: u.ref.source,
    cluster: u.cluster.name,
    related: memberRelated(u, what),
    ...(registry ? {} : { severity: 'warn' as const }),
  };
}

/** A Karmada webhook rejection (karmada `pkg/util/validation` `ValidatePropagationSpec`, `ValidateOverrideSpec`): `reason` is its message. */
export interface KarmadaPolicyProblem {
  readonly cluster: ClusterModel;
  readonly policy: KarmadaPolicyFacts;
  readonly at: Source;
  readonly reason: string;
}

const NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Kubernetes `IsQualifiedName`: an optional DNS-subdomain prefix (at most 253 characters) and `/`, then a name of 1 to 63 characters. */
function isQualifiedName(value: string): boolean {
  const parts = value.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  const prefix = parts.length === 2 ? parts[0] : undefined;
  return name.length <= 63 && NAME_PART.test(name) && (prefix === undefined || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix)));
}
const SPREAD_FIELDS = new Set(['cluster', 'region', 'zone', 'provider']);

/** What Karmada's validating webhook rejects in one policy, each at the offending field, in the webhook's words. */
function webhookProblems(cluster: ClusterModel, policy: KarmadaPolicyFacts): KarmadaPolicyProblem[] {
  const out: KarmadaPolicyProblem[] = [];
  const add = (at: Source, reason: string) => out.push({ cluster, policy, at, reason });
  if (policy.affinityConflict) add(policy.affinityConflict, 'clusterAffinities cannot co-exist with clusterAffinity');
  const seen = new Set<string>();
  for (const name of policy.affinityNames) {
    if (!isQualifiedName(name.value)) add(name.source, `affinityName "${name.value}" is not a qualified name`);
    if (seen.has(name.value)) add(name.source, 'each affinity term in a policy must have a unique name');
    seen.add(name.value);
  }
  for (const key of policy.fieldSelectorKeys)
    if (!['provider', 'region', 'zone'].includes(key.value)) add(key.source, `unsupported key "${key.value}", must be provider, region, or zone`);
  for (const op of policy.fieldSelectorOperators) if (op.value !== 'In' && op.value !== 'NotIn') add(op.source, `unsupported operator "${op.value}", must be In or NotIn`);
  const byField = new Set<string>();
  for (const c of policy.spreadConstraints) {
    if (c.spreadByField && c.spreadByLabel) add(c.source, 'spreadByLabel should not co-exist with spreadByField');
    if ((c.minGroups ?? 0) < 0) add(c.source, 'minGroups lower than 0 is not allowed');
    if ((c.maxGroups ?? 0) < 0) add(c.source, 'maxGroups lower than 0 is not allowed');
    if ((c.maxGroups ?? 0) > 0 && c.maxGroups! < (c.minGroups ?? 0)) add(c.source, 'maxGroups lower than minGroups is not allowed');
    if (!c.spreadByField || !SPREAD_FIELDS.has(c.spreadByField)) continue;
    if (byField.has(c.spreadByField)) add(c.source, `multiple ${c.spreadByField} spread constraints are not allowed`);
    byField.add(c.spreadByField);
  }
  if (byField.size > 0 && !byField.has('cluster'))
    add(
      policy.spreadConstraints.find((c) => c.spreadByField)!.source,
      'the cluster spread constraint must be enabled in one of the constraints in case of SpreadByField is enabled',
    );
  if (policy.preemptAlways)
    for (const s of policy.resourceSelectors)
      if (s.name === undefined) add(s.source, 'name cannot be empty if preemption is Always, the empty name may cause unexpected resources preemption');
  return out;
}

/** A Karmada resource selector that selects no resource of the repository (`kind`: other objects of its kind exist). */
export interface UnmatchedSelector {
  readonly cluster: ClusterModel;
  readonly policy: KarmadaPolicyFacts;
  readonly selector: KarmadaResourceSelectorFacts;
  /**
   * The namespace the selector looks in: a PropagationPolicy's or OverridePolicy's own, else the
   * selector's; undefined when that is left to apply time (`applyTime`) or, for the cluster-scoped
   * policies, when the selector names none (any namespace).
   */
  readonly namespace: string | undefined;
  /** A namespaced policy without `metadata.namespace`: it selects in the namespace it is applied to (`kubectl apply -n`). */
  readonly applyTime: boolean;
  /** How many objects of that kind the policy's cluster has where the selector looks. */
  readonly ofKind: number;
}

/** The group of an `apiVersion` (`apps/v1` → `apps`, `v1` → ``). */
const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

/**
 * Resource selectors naming a resource the repository does not have. The bar, so that policies
 * for resources kept elsewhere do not flood: only selectors with a `name` and no `labelSelector`;
 * only kinds the policy's own cluster (the Karmada control plane's folder) has objects of where
 * the selector looks (the same namespace, or both namespaces left to apply time), so its resource
 * templates are seen to live there; and only kinds whose objects mclint keeps with their
 * names (a kind merely counted, `LoadedFile.unreadKinds`, is never judged). The name is looked for
 * in every cluster of the set. Matching follows Karmada's `ResourceMatches` (group and kind;
 * `name`; the namespace: a PropagationPolicy's or OverridePolicy's own, else the selector's). A
 * namespaced policy without a namespace selects in the namespace it is applied to: the templates
 * counted "there" are those without a namespace (applied alongside it), and any object of the
 * name matches (the policy may be applied to that object's namespace).
 */
function unmatchedSelectors(set: ClusterSetModel): UnmatchedSelector[] {
  type Entry = { cluster: ClusterModel; namespace: string | undefined; name: string | undefined };
  // Nothing to index unless some policy selects a resource by name.
  if (!set.clusters.some((c) => c.placement.karmadaPolicies.some((p) => p.resourceSelectors.some((s) => s.name !== undefined && !s.labelSelector)))) return [];
  const byKind = new Map<string, Entry[]>();
  const counted = new Set<string>();
  for (const cluster of set.clusters) {
    for (const file of cluster.files) {
      for (const o of file.objects) {
        const key = `${o.group}/${o.kind}`;
        if (!byKind.has(key)) byKind.set(key, []);
        byKind.get(key)!.push({ cluster, namespace: o.namespace, name: o.name });
      }
      for (const unread of file.unreadKinds ?? []) {
        const [apiVersion, kind] = unread.type.split(' ');
        counted.add(`${groupOf(apiVersion)}/${kind}`);
      }
    }
  }
  const out: UnmatchedSelector[] = [];
  for (const cluster of set.clusters) {
    for (const policy of cluster.placement.karmadaPolicies) {
      for (const selector of policy.resourceSelectors) {
        const key = `${groupOf(selector.apiVersion)}/${selector.kind}`;
        const objects = byKind.get(key) ?? [];
        const namespaced = policy.kind === 'PropagationPolicy' || policy.kind === 'OverridePolicy';
        const namespace = namespaced ? policy.namespace : selector.namespace;
        // Templates of the kind where the selector looks: the same namespace, or both left to apply time.
        const fits = (o: Entry) => (namespace !== undefined ? o.namespace === undefined || o.namespace === namespace : !namespaced || o.namespace === undefined);
        const ofKind = objects.filter((o) => o.cluster === cluster && fits(o)).length;
        if (selector.name === undefined || selector.labelSelector || ofKind === 0 || counted.has(key)) continue;
        const match = objects.some((o) => o.name === selector.name && (namespace === undefined || o.namespace === undefined || o.namespace === namespace));
        if (!match) out.push({ cluster, policy, selector, namespace, applyTime: namespaced && namespace === undefined, ofKind });
      }
    }
  }
  return out;
}

/** A resource as a Karmada resource selector sees it: group, kind, namespace (undefined: left to apply time) and name. */
export interface TemplateRef {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string | undefined;
  readonly name: string;
}

/** A Karmada propagation policy selector that selects a resource template. */
export interface TemplateSelection {
  readonly cluster: ClusterModel;
  readonly policy: KarmadaPolicyFacts;
  readonly selector: KarmadaResourceSelectorFacts;
}

/** A namespace left to apply time (`kubectl -n`) matches any namespace. */
const sameNamespace = (a: string | undefined, b: string | undefined) => a === undefined || b === undefined || a === b;

/**
 * The PropagationPolicy and ClusterPropagationPolicy selectors of the set that select `target`,
 * making it a resource template Karmada propagates (OverridePolicies only change templates):
 * group and kind equal; `name` equal or absent (a `labelSelector` is taken to match: labels are
 * not kept); the namespace a PropagationPolicy's own (its selector's too when written), a
 * ClusterPropagationPolicy selector's when written, a side left to apply time matching any
 * (karmada `pkg/util/selector.go` `ResourceMatches`, which compares the whole apiVersion: any
 * version of the group counts here). Policies of every cluster count, in cluster order.
 */
function templateSelections(set: ClusterSetModel, target: TemplateRef): TemplateSelection[] {
  const out: TemplateSelection[] = [];
  for (const cluster of set.clusters) {
    for (const policy of cluster.placement.karmadaPolicies) {
      const namespaced = policy.kind === 'PropagationPolicy';
      if (!namespaced && policy.kind !== 'ClusterPropagationPolicy') continue;
      if (namespaced && !sameNamespace(policy.namespace, target.namespace)) continue;
      for (const selector of policy.resourceSelectors) {
        if (selector.kind !== target.kind || groupOf(selector.apiVersion) !== target.group) continue;
        if (selector.name !== undefined && selector.name !== target.name) continue;
        if (!sameNamespace(selector.namespace, target.namespace)) continue;
        out.push({ cluster, policy, selector });
      }
    }
  }
  return out;
}

/** An OCM placement problem: a Placement or binding naming a ManagedClusterSet the hub does not have, a binding named unlike its set, or a Placement's set not bound in its namespace. */
export type OcmProblem = { readonly cluster: ClusterModel; readonly at: Source } & (
  | { readonly kind: 'unknownSet'; readonly set: string; readonly nearest?: { readonly name: string; readonly source?: Source } }
  | { readonly kind: 'bindingName'; readonly binding: OcmBindingFacts }
  | { readonly kind: 'unbound'; readonly placement: OcmPlacementFacts; readonly set: string }
);

/**
 * OCM problems of the set (OCM `cluster.open-cluster-management.io` API: a binding's name must equal
 * `spec.clusterSet`; the placement controller only considers ManagedClusterSets bound to the
 * Placement's namespace). Sets are known from `ManagedClusterSet` objects plus OCM's own `default`
 * and `global`; without any ManagedClusterSet object in the repository, unknown sets are not judged.
 */
/**
 * The ManagedClusterSetBinding the platform creates itself: the `global` set bound in
 * `open-cluster-management-global-set` (OCM's default cluster sets feature and Red Hat ACM/MCE
 * create it, so Placements there may name `global` without a binding in the repository).
 */
const GLOBAL_SET = { set: 'global', namespace: 'open-cluster-management-global-set' } as const;

function ocmProblems(set: ClusterSetModel): OcmProblem[] {
  const all = set.clusters.flatMap((c) => c.placement.ocmClusterSets);
  const known: PlacementMembers = { via: 'registry', names: new Map([['default', undefined], ['global', undefined], ...all.map((f) => [f.value, f.source] as const)]) };
  const bindings = set.clusters.flatMap((c) => c.placement.ocmBindings);
  const out: OcmProblem[] = [];
  /** Reports `fact` when it names no known set; true when it did. */
  const unknown = (cluster: ClusterModel, fact: Fact<string>): boolean => {
    if (all.length === 0 || known.names.has(fact.value)) return false;
    out.push({ cluster, at: fact.source, kind: 'unknownSet', set: fact.value, nearest: nearest(fact.value, known) });
    return true;
  };
  for (const cluster of set.clusters) {
    for (const binding of cluster.placement.ocmBindings) {
      if (binding.clusterSet && binding.clusterSet.value !== binding.name.value) out.push({ cluster, at: binding.clusterSet.source, kind: 'bindingName', binding });
      if (binding.clusterSet) unknown(cluster, binding.clusterSet);
    }
    for (const placement of cluster.placement.ocmPlacements) {
      for (const fact of placement.clusterSets) {
        // A set that does not exist is reported once, as such, not also as unbound.
        if (unknown(cluster, fact)) continue;
        const bound =
          (fact.value === GLOBAL_SET.set && placement.namespace === GLOBAL_SET.namespace) ||
          bindings.some((b) => b.clusterSet?.value === fact.value && (placement.namespace === undefined || b.namespace === undefined || b.namespace === placement.namespace));
        if (!bound && bindings.length > 0) out.push({ cluster, at: fact.source, kind: 'unbound', placement, set: fact.value });
      }
    }
  }
  return out;
}

/** Everything the placement rules report for a set. */
export interface PlacementView {
  readonly karmadaUnknown: readonly UnknownMember[];
  readonly karmadaPolicyProblems: readonly KarmadaPolicyProblem[];
  readonly unmatchedSelectors: readonly UnmatchedSelector[];
  readonly kubefedUnknown: readonly UnknownMember[];
  readonly ocm: readonly OcmProblem[];
  /** The Karmada propagation policy selectors that make `target` a resource template (empty: none does); see `templateSelections`. */
  karmadaTemplate(target: TemplateRef): readonly TemplateSelection[];
}

const PLACEMENT = viewKey<PlacementView>('placement');

/** The set's placement view (see `PlacementView`), built once per set. */
export function placementView(set: ClusterSetModel): PlacementView {
  return viewOf(set, PLACEMENT, () => {
    const karmada = membersFrom(
      set,
      set.clusters.flatMap((c) => c.identity.karmadaClusters.map((k) => k.name)),
    );
    const kubefed = membersFrom(
      set,
      set.clusters.flatMap((c) => c.placement.kubefedClusters),
    );
    return {
      karmadaUnknown: unknownMembers(set, karmada, (c) => c.placement.karmadaPolicies.flatMap((p) => p.clusterNames)),
      karmadaPolicyProblems: set.clusters.flatMap((c) => c.placement.karmadaPolicies.flatMap((p) => webhookProblems(c, p))),
      unmatchedSelectors: unmatchedSelectors(set),
      kubefedUnknown: unknownMembers(set, kubefed, (c) => c.placement.kubefedClusterRefs),
      ocm: ocmProblems(set),
      karmadaTemplate: (target: TemplateRef) => templateSelections(set, target),
    };
  });
}
