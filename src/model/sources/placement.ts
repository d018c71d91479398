/**
 * Placement objects: what a multi-cluster control plane is told to put where.
 * - Karmada (`policy.karmada.io/v1alpha1`, karmada `pkg/apis/policy/v1alpha1/propagation_types.go`
 *   and `override_types.go`): PropagationPolicy / ClusterPropagationPolicy `spec.resourceSelectors`
 *   and `spec.placement` (`clusterAffinity`, `clusterAffinities[]`, `spreadConstraints[]`,
 *   `replicaScheduling.weightPreference.staticWeightList[].targetCluster`), OverridePolicy /
 *   ClusterOverridePolicy `spec.overrideRules[].targetCluster` (and the deprecated
 *   `spec.targetCluster`). A cluster affinity names members in `clusterNames`.
 * - KubeFed (`types.kubefed.io/v1beta1` `Federated*`): `spec.placement.clusters[].name` and
 *   `spec.overrides[].clusterName`; `KubeFedCluster` (`core.kubefed.io`) registers a member.
 * - Open Cluster Management (`cluster.open-cluster-management.io`): `Placement.spec.clusterSets`,
 *   `ManagedClusterSetBinding` (`spec.clusterSet`), `ManagedClusterSet`.
 * No JSON Schema covers these kinds: every field is type-checked here, so wrong types and
 * placeholders are left out, never facts.
 */
import type { Path } from '../../base/types.js';
import type { Fact, KarmadaPolicyFacts, KarmadaResourceSelectorFacts, KarmadaSpreadConstraintFacts } from '../types.js';
import { isRecord } from '../values.js';
import type { ExtractContext, FactSource } from './types.js';

/** KubeFed's federated types (kubefed `config/enabletypedirectives` and the usual `kubefedctl enable` targets). */
const FEDERATED_KINDS = [
  'ClusterRole',
  'ClusterRoleBinding',
  'ConfigMap',
  'CronJob',
  'DaemonSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'Ingress',
  'Job',
  'Namespace',
  'PersistentVolumeClaim',
  'ReplicaSet',
  'Role',
  'RoleBinding',
  'Secret',
  'Service',
  'ServiceAccount',
  'StatefulSet',
  'StorageClass',
].map((k) => `types.kubefed.io/Federated${k}`);

const KARMADA_POLICIES = ['PropagationPolicy', 'ClusterPropagationPolicy', 'OverridePolicy', 'ClusterOverridePolicy'];
const OCM = 'cluster.open-cluster-management.io';

/** The list at `path`, or an empty list when absent or not a list. */
function items(ctx: ExtractContext, path: Path): unknown[] {
  const v = ctx.get(path);
  return Array.isArray(v) ? v : [];
}

/** Non-empty strings of the list at `path` as facts (origin `origin`); other items are left out. */
function stringItems(ctx: ExtractContext, path: Path, origin: string): Fact<string>[] {
  return items(ctx, path).flatMap((v, i) =>
    typeof v === 'string' && v !== '' && ctx.get([...path, i]) !== undefined ? [{ value: v, source: ctx.source([...path, i], origin) }] : [],
  );
}

/** A non-empty string at `path` as a fact. */
function stringAt(ctx: ExtractContext, path: Path, origin: string): Fact<string> | undefined {
  const v = ctx.get(path);
  return typeof v === 'string' && v !== '' ? { value: v, source: ctx.source(path, origin) } : undefined;
}

/** Reads one Karmada cluster affinity (`clusterNames`, `fieldSelector.matchExpressions`) at `path` into `policy`. */
function readAffinity(ctx: ExtractContext, policy: KarmadaPolicyFacts, path: Path, field: string, validated = true): void {
  if (!isRecord(ctx.get(path))) return;
  policy.clusterNames.push(...stringItems(ctx, [...path, 'clusterNames'], `${policy.kind} ${field}.clusterNames`));
  // The webhook validates the field selectors of cluster affinities only (karmada
  // `pkg/util/validation` `ValidatePlacement`), not those of staticWeightList targets.
  if (!validated) return;
  items(ctx, [...path, 'fieldSelector', 'matchExpressions']).forEach((_, i) => {
    const at: Path = [...path, 'fieldSelector', 'matchExpressions', i];
    const key = stringAt(ctx, [...at, 'key'], `${policy.kind} ${field}.fieldSelector key`);
    const operator = stringAt(ctx, [...at, 'operator'], `${policy.kind} ${field}.fieldSelector operator`);
    if (key) policy.fieldSelectorKeys.push(key);
    if (operator) policy.fieldSelectorOperators.push(operator);
  });
}

/** An integer at `path`, else undefined. */
function integerAt(ctx: ExtractContext, path: Path): number | undefined {
  const v = ctx.get(path);
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

/** Reads a Karmada policy's selectors, placement and override targets. */
function readKarmada(ctx: ExtractContext, name: string): void {
  const kind = ctx.object.kind;
  const placement: Path = ['spec', 'placement'];
  const bothAffinities = isRecord(ctx.get([...placement, 'clusterAffinity'])) && Array.isArray(ctx.get([...placement, 'clusterAffinities']));
  const policy: KarmadaPolicyFacts = {
    object: ctx.object,
    kind,
    name,
    namespace: kind.startsWith('Cluster') ? undefined : ctx.object.namespace,
    clusterNames: [],
    resourceSelectors: [],
    affinityNames: [],
    fieldSelectorKeys: [],
    fieldSelectorOperators: [],
    spreadConstraints: [],
    preemptAlways: ctx.get(['spec', 'preemption']) === 'Always',
    ...(bothAffinities ? { affinityConflict: ctx.source(placement, `${kind} spec.placement`) } : {}),
  };
  items(ctx, ['spec', 'resourceSelectors']).forEach((s, i) => {
    if (!isRecord(s) || typeof s.apiVersion !== 'string' || typeof s.kind !== 'string' || ctx.get(['spec', 'resourceSelectors', i, 'kind']) === undefined) return;
    const selector: KarmadaResourceSelectorFacts = {
      apiVersion: s.apiVersion,
      kind: s.kind,
      name: typeof s.name === 'string' && s.name !== '' ? (ctx.get(['spec', 'resourceSelectors', i, 'name']) as string | undefined) : undefined,
      namespace: typeof s.namespace === 'string' && s.namespace !== '' ? (ctx.get(['spec', 'resourceSelectors', i, 'namespace']) as string | undefined) : undefined,
      labelSelector: s.labelSelector !== undefined,
      source: ctx.source(['spec', 'resourceSelectors', i], `${kind} spec.resourceSelectors`),
    };
    // A placeholder name or namespace (undefined from `get`) leaves the selector unknown.
    if ((s.name !== undefined && selector.name === undefined) || (s.namespace !== undefined && selector.namespace === undefined)) return;
    policy.resourceSelectors.push(selector);
  });
  readAffinity(ctx, policy, [...placement, 'clusterAffinity'], 'placement.clusterAffinity');
  items(ctx, [...placement, 'clusterAffinities']).forEach((_, i) => {
    const at: Path = [...placement, 'clusterAffinities', i];
    const affinityName = ctx.get([...at, 'affinityName']);
    if (typeof affinityName === 'string') policy.affinityNames.push({ value: affinityName, source: ctx.source([...at, 'affinityName'], `${kind} clusterAffinities.affinityName`) });
    readAffinity(ctx, policy, at, 'placement.clusterAffinities');
  });
  items(ctx, [...placement, 'replicaScheduling', 'weightPreference', 'staticWeightList']).forEach((_, i) => {
    readAffinity(ctx, policy, [...placement, 'replicaScheduling', 'weightPreference', 'staticWeightList', i, 'targetCluster'], 'staticWeightList.targetCluster', false);
  });
  items(ctx, [...placement, 'spreadConstraints']).forEach((c, i) => {
    if (!isRecord(c)) return;
    const at: Path = [...placement, 'spreadConstraints', i];
    const constraint: KarmadaSpreadConstraintFacts = {
      spreadByField: stringAt(ctx, [...at, 'spreadByField'], '')?.value,
      spreadByLabel: stringAt(ctx, [...at, 'spreadByLabel'], '')?.value,
      minGroups: integerAt(ctx, [...at, 'minGroups']),
      maxGroups: integerAt(ctx, [...at, 'maxGroups']),
      source: ctx.source(at, `${kind} spec.placement.spreadConstraints`),
    };
    policy.spreadConstraints.push(constraint);
  });
  readAffinity(ctx, policy, ['spec', 'targetCluster'], 'targetCluster');
  items(ctx, ['spec', 'overrideRules']).forEach((_, i) => readAffinity(ctx, policy, ['spec', 'overrideRules', i, 'targetCluster'], 'overrideRules.targetCluster'));
  ctx.cluster.placement.karmadaPolicies.push(policy);
}

/** Reads Karmada policies, KubeFed federated objects and clusters, and OCM placement objects. */
export const placementSource: FactSource = {
  id: 'placement',
  handles: [
    ...KARMADA_POLICIES.map((k) => `policy.karmada.io/${k}`),
    ...FEDERATED_KINDS,
    'core.kubefed.io/KubeFedCluster',
    `${OCM}/Placement`,
    `${OCM}/ManagedClusterSetBinding`,
    `${OCM}/ManagedClusterSet`,
  ],
  extract(ctx) {
    const { placement } = ctx.cluster;
    const { kind, group } = ctx.object;
    const name = stringAt(ctx, ['metadata', 'name'], `${kind} metadata.name`);
    if (!name) return;
    if (group === 'policy.karmada.io') return readKarmada(ctx, name.value);
    if (group === 'core.kubefed.io') return void placement.kubefedClusters.push(name);
    if (group === 'types.kubefed.io') {
      items(ctx, ['spec', 'placement', 'clusters']).forEach((_, i) => {
        const ref = stringAt(ctx, ['spec', 'placement', 'clusters', i, 'name'], `${kind} spec.placement.clusters.name`);
        if (ref) placement.kubefedClusterRefs.push(ref);
      });
      items(ctx, ['spec', 'overrides']).forEach((_, i) => {
        const ref = stringAt(ctx, ['spec', 'overrides', i, 'clusterName'], `${kind} spec.overrides.clusterName`);
        if (ref) placement.kubefedClusterRefs.push(ref);
      });
      return;
    }
    const namespace = ctx.object.namespace;
    if (kind === 'ManagedClusterSet') placement.ocmClusterSets.push(name);
    else if (kind === 'Placement')
      placement.ocmPlacements.push({ object: ctx.object, namespace, clusterSets: stringItems(ctx, ['spec', 'clusterSets'], 'Placement spec.clusterSets') });
    else placement.ocmBindings.push({ object: ctx.object, namespace, name, clusterSet: stringAt(ctx, ['spec', 'clusterSet'], 'ManagedClusterSetBinding spec.clusterSet') });
  },
};
