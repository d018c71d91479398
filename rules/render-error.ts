import { defineRule } from '../src/engine/types.js';
import { loadProblems } from '../src/model/index.js';

/**
 * `render-error`: a kustomization that kustomize cannot render (its own error message, at the
 * kustomization file or the entry it names), or one that needs a remote base mclint does not fetch
 * (warning). The kustomization contributes nothing else; every other input is still linted.
 *
 * Upstream: `kustomize build` / `kubectl kustomize` (kubernetes-sigs/kustomize `api/krusty`), run
 * offline with the default load restrictions and no plugins — what `kubectl apply -k` and Flux's
 * kustomize-controller would fail on too.
 */
export default defineRule({
  meta: {
    id: 'render-error',
    description: 'Kustomizations must render with kustomize, offline',
    severity: 'error',
    docs: 'docs/rules/render-error.md',
  },
  check({ set, report }) {
    for (const { cluster, file, problem } of loadProblems(set, 'render-error')) {
      report({
        message: problem.message,
        at: problem.place ?? { file: file.path, doc: 0, path: [] },
        cluster: cluster.name,
        ...(problem.warning ? { severity: 'warn' as const } : {}),
      });
    }
  },
});
