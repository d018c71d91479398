import { defineRule, istioLocalityProblems, namespacedName, type LocalityProblem, type MessageTemplate } from './kit.js';

const WHERE = 'DestinationRule "{{destinationRule}}" {{level}} localityLbSetting';
const REJECTED = 'istiod rejects the DestinationRule';
const LOCALITIES = `${REJECTED} with this message (validateLocalities). Name each locality once, with at most one "*", at the end, and no empty region, zone or subzone.`;
const UNKNOWN = `The known localities come from Node labels, WorkloadEntry localities and the config file; no endpoint is in this one`;

/** The rule's messages by problem kind (`weightTotal` splits on whether the entry has a `from`). */
const messages: Record<LocalityProblem['kind'] | 'weightTotalFrom' | 'unknownFailoverLocality', MessageTemplate> = {
  distributeAndFailover: {
    text: `${WHERE} sets both distribute and failover.`,
    hint: `${REJECTED} ("can not simultaneously specify 'distribute' and 'failover'"). Keep one: distribute sets fixed weights, failover only orders regions when endpoints fail.`,
  },
  failoverTopologyLabel: {
    text: `${WHERE} uses failover with the topology label {{label}} in failoverPriority.`,
    hint: `${REJECTED} ("can not simultaneously set 'failover' and topology label '{{label}}' in 'failover_priority'"). Drop the label from failoverPriority (failover already orders by region), or drop failover.`,
  },
  weightRange: { text: `${WHERE} distribute weight {{weight}} for "{{locality}}" is outside [1, 100].`, hint: `${REJECTED} ("locality weight must be in range [1, 100]").` },
  weightTotal: {
    text: `${WHERE} distributes {{total}}% of the traffic.`,
    hint: `${REJECTED} ("total locality weight {{total}} != 100"). Make the weights of this entry add up to 100.`,
  },
  weightTotalFrom: {
    text: `${WHERE} distributes {{total}}% of the traffic from "{{from}}".`,
    hint: `${REJECTED} ("total locality weight {{total}} != 100"). Make the weights of this from entry add up to 100.`,
  },
  distributeTo: { text: `${WHERE} distribute to: {{problem}}.`, hint: LOCALITIES },
  distributeFrom: { text: `${WHERE} distribute from: {{problem}}.`, hint: LOCALITIES },
  noOutlierDetection: {
    text: `${WHERE} sets {{field}} without outlierDetection in the same traffic policy ({{level}}).`,
    hint: 'Istio warns "outlier detection policy must be provided for failover", and Envoy never marks endpoints unhealthy, so traffic never fails over. Add outlierDetection next to loadBalancer.',
  },
  failoverToItself: { text: `${WHERE} fails over from "{{from}}" to itself.`, hint: `${REJECTED} ("locality lb failover settings must specify different regions").` },
  failoverZone: {
    text: `${WHERE} failover names a zone ("{{locality}}").`,
    hint: `${REJECTED} ("locality lb failover only specify region"). Failover works between regions; use distribute or failoverPriority for zones.`,
  },
  failoverWildcard: { text: `${WHERE} failover uses a wildcard ("{{locality}}").`, hint: `${REJECTED} ("locality lb failover region should not contain '*' wildcard").` },
  unknownLocality: {
    text: `${WHERE} {{role}} "{{locality}}" matches no region/zone of the ClusterSet (known: {{known}}).`,
    hint: `${UNKNOWN}, so this weight goes nowhere. Check the spelling against topology.kubernetes.io/region|zone.`,
  },
  unknownFailoverLocality: {
    text: `${WHERE} {{role}} "{{locality}}" matches no region/zone of the ClusterSet (known: {{known}}).`,
    hint: `${UNKNOWN}, so this entry never applies. Check the spelling against topology.kubernetes.io/region|zone.`,
  },
  unusedPriorityLabel: {
    text: `${WHERE} failoverPriority label "{{label}}" is on no workload of namespace "{{namespace}}" in any cluster of the ClusterSet.`,
    hint: 'Istio compares this label between client and endpoints, so it never orders the failover. Label the pod templates, or remove it.',
  },
};

/** Problems Istio accepts but that do not do what was meant: capped at warning. */
const ADVISORY = new Set<LocalityProblem['kind']>(['noOutlierDetection', 'unknownLocality', 'unusedPriorityLabel']);

/** The message id of a problem: its kind, split where the consequence differs. */
function messageId({ kind, values }: LocalityProblem): string {
  if (kind === 'weightTotal' && values.from !== undefined) return 'weightTotalFrom';
  if (kind === 'unknownLocality' && String(values.role).startsWith('failover')) return 'unknownFailoverLocality';
  return kind;
}

/**
 * `istio-locality`: Istio's validation of `localityLbSetting` (top level, port level, subset
 * level), and the localities and `failoverPriority` labels the set actually has. The checks are
 * the model's view `istioLocalityProblems` (`src/model/views/istio-locality.ts`); the rule words
 * them, Istio's own messages quoted in the hints.
 *
 * Upstream: istio/istio `pkg/config/validation/agent/validation.go` `ValidateLocalityLbSetting`
 * and `validateLocalities` (messages kept verbatim); locality from Node labels
 * `topology.kubernetes.io/region|zone`, `topology.istio.io/subzone` (pilot `pkg/kube/labels`).
 */
export default defineRule({
  meta: {
    id: 'istio-locality',
    description: 'Istio localityLbSetting must be valid and name localities and labels that exist in the ClusterSet',
    severity: 'error',
    docs: 'docs/rules/istio-locality.md',
    messages,
  },
  check({ set, run, report }) {
    for (const problem of istioLocalityProblems(set, run)) {
      const { destinationRule: dr, policy, at, cluster, kind, values } = problem;
      const data = { destinationRule: namespacedName(dr.namespace, dr.name), level: policy.level, ...values };
      report({ messageId: messageId(problem), data, at, cluster: cluster.name, ...(ADVISORY.has(kind) ? { severity: 'warn' as const } : {}) });
    }
  },
});
