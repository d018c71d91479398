#!/usr/bin/env node
// Builds dist/mclint.js: regenerates the schema validators, then bundles the CLI and its
// dependencies into one ESM file. One file loads far faster than hundreds of node_modules files,
// which is most of the cold start a pre-commit hook pays on every commit.
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { generate } from './compile-schemas.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { js, dts } = generate();
for (const [file, text] of [
  ['src/schema/validators.generated.js', js],
  ['src/schema/validators.generated.d.ts', dts],
]) {
  const path = join(root, file);
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {}
  if (current !== text) writeFileSync(path, text);
}

const outdir = join(root, 'dist');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { mclint: join(root, 'src/bin.ts') },
  outdir,
  // Code splitting keeps what only some runs need (the `yaml` package for positions, ajv for rule
  // options) in chunks loaded on first use.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  alias: { 'ajv-i18n': join(root, 'src/schema/no-i18n.ts') },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  banner: { js: "import { createRequire as __mclintRequire } from 'node:module';\nconst require = __mclintRequire(import.meta.url);" },
});
const outfile = join(outdir, 'mclint.js');
// esbuild keeps the entry's shebang; make the file executable for direct use.
chmodSync(outfile, 0o755);
