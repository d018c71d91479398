#!/usr/bin/env node
// Builds the GitHub Action bundle: src/action/index.ts and everything it imports (the whole
// pipeline and its dependencies) in one self-contained ESM file, `action/index.mjs`, which is
// committed because the runner runs the action from a checkout without node_modules.
// test/action.test.ts rebuilds it into a temporary directory and fails when the committed file
// differs. Next to it goes `parse-worker.js`, the parse worker thread (src/load/parse-worker.ts),
// which large repositories use. Usage: node scripts/build-action.mjs [OUTFILE]
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = resolve(process.argv[2] ?? join(root, 'action', 'index.mjs'));

/** Replaces `@actions/http-client` (only used for OIDC tokens) with a stand-in that throws. */
const noHttpClient = {
  name: 'no-http-client',
  setup(b) {
    b.onResolve({ filter: /^@actions\/http-client(\/|$)/ }, () => ({ path: join(root, 'src/action/no-http-client.ts') }));
  },
};

const worker = join(dirname(outfile), 'parse-worker.js');
for (const [entry, out] of [
  ['src/action/index.ts', outfile],
  ['src/load/parse-worker.ts', worker],
]) {
  await build({
    absWorkingDir: root,
    entryPoints: [join(root, entry)],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    alias: { 'ajv-i18n': join(root, 'src/schema/no-i18n.ts') },
    plugins: [noHttpClient],
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
    banner: { js: "import { createRequire as __mclintRequire } from 'node:module';\nconst require = __mclintRequire(import.meta.url);" },
  });
}
