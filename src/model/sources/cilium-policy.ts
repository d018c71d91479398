/**
 * Cilium policies' cluster selectors: the `io.cilium.k8s.policy.cluster` label (Cilium
 * `pkg/policy/api`, `PolicyLabelCluster`) in the endpoint selectors of CiliumNetworkPolicy and
 * CiliumClusterwideNetworkPolicy (`spec` and `specs[]`: `endpointSelector`, `fromEndpoints`,
 * `toEndpoints` and the deny variants, any `matchLabels` or `matchExpressions` below them). The
 * key may carry a label source prefix (`k8s:`, `any:`), as Cilium's selectors allow. Values are
 * `matchLabels` values and the `values` of `In`/`NotIn` expressions, each with its operator
 * (`matchLabels` is `In`) and the role of its selector: the policy's subject (`endpointSelector`,
 * any selector outside the rule sections), the peers of an allow rule (below `ingress`/`egress`)
 * or of a deny rule (below `ingressDeny`/`egressDeny`). `Exists`/`DoesNotExist` name no cluster
 * and are not recorded; placeholders are skipped.
 *
 * Upstream: Cilium docs "Cluster Mesh: Network Policy" (`io.cilium.k8s.policy.cluster: cluster2`),
 * Cilium `pkg/policy/api/selector.go` (`NewESFromK8sLabelSelector`: endpoint selectors are
 * Kubernetes label selectors, matched with Kubernetes' `In`/`NotIn`/`Exists`/`DoesNotExist`
 * semantics), cilium/cilium #33822 (a policy dropping traffic of other clusters), PR #40108 and
 * #40609 (`policy-default-local-cluster`, on by default from 1.19: selectors without the label
 * select the local cluster only).
 */
import type { Path } from '../../base/types.js';
import type { CiliumPolicyClusterFacts } from '../types.js';
import { isRecord } from '../values.js';
import type { ExtractContext, FactSource } from './types.js';

/** The label that selects endpoints by cluster name, with an optional label source prefix. */
const CLUSTER_LABEL = /^(?:(?:k8s|any):)?io\.cilium\.k8s\.policy\.cluster$/;
/** How deep below `spec` selectors are looked for (rules, peers, selectors: a handful of levels). */
const MAX_DEPTH = 8;

/** The role of the selectors below `path`: the first rule section on the path decides (see `CiliumPolicyClusterFacts.role`). */
function roleOf(path: Path): CiliumPolicyClusterFacts['role'] {
  for (const segment of path) {
    if (segment === 'ingressDeny' || segment === 'egressDeny') return 'deny';
    if (segment === 'ingress' || segment === 'egress') return 'allow';
  }
  return 'subject';
}

/** Records the cluster label values below `path` (a mapping or list of the policy). */
function walk(ctx: ExtractContext, value: unknown, path: Path, policy: string, depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(ctx, v, [...path, i], policy, depth + 1));
    return;
  }
  if (!isRecord(value)) return;
  for (const [k, v] of Object.entries(value)) {
    if (k === 'matchLabels' && isRecord(v)) {
      for (const [key, label] of Object.entries(v)) {
        const at = [...path, k, key];
        if (CLUSTER_LABEL.test(key) && typeof label === 'string' && ctx.get(at) !== undefined) record(ctx, policy, key, 'In', label, at);
      }
    } else if (k === 'matchExpressions' && Array.isArray(v)) {
      v.forEach((e, i) => {
        if (!isRecord(e) || typeof e.key !== 'string' || !CLUSTER_LABEL.test(e.key) || !Array.isArray(e.values)) return;
        const operator = e.operator;
        if (operator !== 'In' && operator !== 'NotIn') return;
        e.values.forEach((label, j) => {
          const at = [...path, k, i, 'values', j];
          if (typeof label === 'string' && ctx.get(at) !== undefined) record(ctx, policy, e.key as string, operator, label, at);
        });
      });
    } else {
      walk(ctx, v, [...path, k], policy, depth + 1);
    }
  }
}

function record(ctx: ExtractContext, policy: string, key: string, operator: 'In' | 'NotIn', value: string, at: Path): void {
  ctx.cluster.ciliumPolicyClusters.push({ policy, key, operator, role: roleOf(at), value: { value, source: ctx.source(at, `${policy} ${key}`) } });
}

/** Reads the cluster selectors of Cilium policies (see the file comment). */
export const ciliumPolicySource: FactSource = {
  id: 'cilium-policy',
  handles: ['cilium.io/CiliumNetworkPolicy', 'cilium.io/CiliumClusterwideNetworkPolicy'],
  extract(ctx) {
    const { kind, name, namespace } = ctx.object;
    const policy = `${kind} "${namespace ? `${namespace}/` : ''}${name}"`;
    for (const field of ['spec', 'specs']) {
      const value = ctx.get([field]);
      if (value !== undefined) walk(ctx, value, [field], policy, 0);
    }
  },
};
