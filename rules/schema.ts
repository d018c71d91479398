import { defineRule, fieldPlace, loadProblems, objectLabel } from './kit.js';

/**
 * `schema`: objects whose fields have the wrong type or shape for what the rules need, unknown
 * fields where the CRD lists every field, and documents that claim to be Kubernetes objects but
 * lack `apiVersion`/`kind`. Schemas: `schemas/*.schema.json` and, for core kinds, the
 * `kubernetes-models` package (generated from the Kubernetes OpenAPI spec). Documents without a
 * schema (Cilium Helm values, the `cilium-config` ConfigMap) are checked by their fact sources
 * (`ClusterModel.valueProblems`), as are CIDR fields listing more ranges than mclint reads
 * (`tooManyCidrs`, `MAX_FIELD_CIDRS` in `src/model/sources/facts.ts`). The problems are worded where
 * they are found (the load stage's `src/load/classify.ts` and `src/schema/`, the fact sources); the
 * rule reports them as `document`, `field` (with the object's label), `value` or `tooManyCidrs`,
 * `data.problem`.
 *
 * Upstream: the API server's OpenAPI/CRD structural validation and kubectl's strict field
 * validation; for kind and kubeadm configuration files, the tools' own strict decoding (messageId
 * `toolField`). A field written empty (YAML null) is validated as absent (`validateObject`). A field
 * that fails here is never used as a fact by other rules.
 */
/** API groups of configuration files a tool reads itself, never applied to a cluster: the tool. */
const TOOL_CONFIGS: Readonly<Record<string, string>> = { 'kind.x-k8s.io': '`kind create cluster`', 'kubeadm.k8s.io': '`kubeadm init`/`join`' };

export default defineRule({
  meta: {
    id: 'schema',
    description: 'Objects mclint reads must match the schema of their kind',
    severity: 'error',
    docs: 'docs/rules/schema.md',
    messages: {
      document: {
        text: '{{problem}}',
        hint: 'kubectl and the API server reject a document that claims to be an object without apiVersion and kind (or a List item that is not an object), and mclint reads nothing from it. Add the missing field, or remove the document.',
      },
      field: {
        text: '{{object}}: {{problem}}',
        hint: "The API server rejects the object (OpenAPI/CRD structural validation, kubectl's strict field validation for unknown fields), and mclint uses no fact from the field. Fix the field to match its kind's schema.",
      },
      toolField: {
        text: '{{object}}: {{problem}}',
        hint: '{{tool}} reads this file itself (it is never applied to a cluster): a value of the wrong type stops it, and mclint uses no fact from the field. Fix the field to match the configuration schema of {{tool}}.',
      },
      value: {
        text: '{{problem}}',
        hint: 'Cilium would reject or misread this setting (Helm values and the cilium-config options have no schema of their own), and mclint uses no fact from it. Fix the value.',
      },
      chartKey: {
        text: '{{problem}}.',
        hint: 'Helm passes values only to the keys a chart template reads, and nothing checks the rest: the rendered object is installed without the setting, and mclint reads no fact from the key. Rename the key to the one the chart reads.',
      },
      tooManyCidrs: {
        text: '{{problem}}.',
        hint: 'No cluster has that many ranges (Kubernetes takes one pod and one Service range per IP family; Submariner, Calico and Cilium lists hold a handful), so mclint checks the first ranges only and the rest of the list goes unchecked (docs/limits.md). Fix the list.',
      },
    },
  },
  check({ set, report }) {
    for (const { cluster, problem } of loadProblems(set, 'schema')) {
      if (problem.place) report({ messageId: 'document', data: { problem: problem.message }, at: problem.place, cluster: cluster.name });
    }
    for (const cluster of set.clusters) {
      for (const problem of cluster.valueProblems) {
        const messageId = problem.kind === 'too-many-cidrs' ? 'tooManyCidrs' : problem.kind === 'chart-key' ? 'chartKey' : 'value';
        report({ messageId, data: { problem: problem.message }, at: problem.at, cluster: cluster.name });
      }
      for (const object of cluster.objects) {
        const tool = TOOL_CONFIGS[object.group];
        for (const error of object.schemaErrors) {
          report({
            messageId: tool ? 'toolField' : 'field',
            data: { object: objectLabel(object), problem: error.message, ...(tool && { tool }) },
            at: { ...fieldPlace(object, ...error.path), key: error.key },
            cluster: cluster.name,
          });
        }
      }
    }
  },
});
