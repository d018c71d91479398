import { defineRule, fieldPlace, loadProblems, objectLabel } from './kit.js';

/**
 * `schema`: objects whose fields have the wrong type or shape for what the rules need, unknown
 * fields where the CRD lists every field, and documents that claim to be Kubernetes objects but
 * lack `apiVersion`/`kind`. Schemas: `schemas/*.schema.json` and, for core kinds, the
 * `kubernetes-models` package (generated from the Kubernetes OpenAPI spec). Documents without a
 * schema (Cilium Helm values, the `cilium-config` ConfigMap) are checked by their fact sources
 * (`ClusterModel.valueProblems`).
 *
 * Upstream: the API server's OpenAPI/CRD structural validation and kubectl's strict field
 * validation. A field that fails here is never used as a fact by other rules.
 */
export default defineRule({
  meta: {
    id: 'schema',
    description: 'Objects mclint reads must match the schema of their kind',
    severity: 'error',
    docs: 'docs/rules/schema.md',
  },
  check({ set, report }) {
    for (const { cluster, problem } of loadProblems(set, 'schema')) {
      if (problem.place) report({ message: problem.message, at: problem.place, cluster: cluster.name });
    }
    for (const cluster of set.clusters) {
      for (const problem of cluster.valueProblems) report({ message: problem.message, at: problem.at, cluster: cluster.name });
      for (const object of cluster.objects) {
        for (const error of object.schemaErrors) {
          report({
            message: `${objectLabel(object)}: ${error.message}`,
            at: { ...fieldPlace(object, ...error.path), key: error.key },
            cluster: cluster.name,
          });
        }
      }
    }
  },
});
