import { defineRule, loadProblems } from './kit.js';

/**
 * `parse-error`: a file that is not valid YAML/JSON, has a duplicate key, or cannot be decoded
 * safely (recursive or excessive aliases). The file contributes nothing else; every other file is
 * still linted.
 *
 * Upstream: kubectl / the API server decode manifests with sigs.k8s.io/yaml (go-yaml v2), which
 * rejects these files; duplicate fields fail strict field validation.
 */
export default defineRule({
  meta: {
    id: 'parse-error',
    description: 'Files must be valid YAML/JSON without duplicate keys',
    severity: 'error',
    docs: 'docs/rules/parse-error.md',
  },
  check({ set, report }) {
    for (const { cluster, file, problem } of loadProblems(set, 'parse-error')) {
      report({
        message: problem.message,
        at: problem.place ?? { file: file.path, doc: 0, path: [] },
        span: problem.span,
        cluster: cluster.name,
        fatal: true,
      });
    }
  },
});
