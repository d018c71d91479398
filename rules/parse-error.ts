import { defineRule, loadProblems } from './kit.js';

/**
 * `parse-error`: a file that is not valid YAML/JSON, has a duplicate key, or cannot be decoded
 * safely (recursive or excessive aliases). The file contributes nothing else; every other file is
 * still linted. The problem itself is worded by the load stage (`src/load/syntax.ts`,
 * `src/load/index.ts`), which alone knows the parser's reason; the rule reports it as `syntax`
 * with `data.problem`.
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
    messages: {
      syntax: {
        text: '{{problem}}',
        hint: 'kubectl apply and the API server (sigs.k8s.io/yaml) reject the whole file, and mclint cannot read any object in it: nothing of it is linted. Fix the YAML.',
      },
    },
  },
  check({ set, report }) {
    for (const { cluster, file, problem } of loadProblems(set, 'parse-error')) {
      report({
        messageId: 'syntax',
        data: { problem: problem.message },
        at: problem.place ?? { file: file.path, doc: 0, path: [] },
        span: problem.span,
        cluster: cluster.name,
        fatal: true,
      });
    }
  },
});
