import { defineRule, loadProblems } from './kit.js';

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
    messages: {
      failed: {
        text: '{{problem}}',
        hint: 'kubectl apply -k and Flux would fail the same way, and mclint cannot know which objects it makes: nothing of it is linted. Fix the kustomization, or lint its rendered output (--cluster NAME=FILE).',
      },
      remote: {
        text: '{{problem}}',
        hint: 'mclint never fetches: vendor the base into the repository, or render it yourself and lint the output (--cluster NAME=FILE).',
      },
    },
  },
  check({ set, report }) {
    for (const { cluster, file, problem } of loadProblems(set, 'render-error')) {
      report({
        messageId: problem.warning ? 'remote' : 'failed',
        data: { problem: problem.message },
        at: problem.place ?? { file: file.path, doc: 0, path: [] },
        cluster: cluster.name,
        ...(problem.warning ? { severity: 'warn' as const } : {}),
      });
    }
  },
});
