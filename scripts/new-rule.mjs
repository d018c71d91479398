#!/usr/bin/env node
// Scaffolds a new rule: `npm run new-rule <id> [-- --description TEXT] [--severity error|warn]`.
//
// Writes, relative to the repository root (or to `--root DIR`, which the tests use):
//   rules/<id>.ts             a `defineRule({ meta, check })` whose example check queries the model
//   test/rules/<id>.test.ts   a `ruleTester` table with one valid and one invalid case (green as written)
//   docs/rules/<id>.md        the page test/docs.test.ts requires (what, Why, Examples, Options,
//                             Upstream behaviour)
// and registers the rule: an import and an entry at the end of `RULES` in rules/index.ts, and a row
// at the end of README.md's rule table (`| rule | default | what it finds |`).
//
// The id must be kebab-case (`[a-z][a-z0-9]*(-[a-z0-9]+)*`, the form every rule id has) and not
// taken: no file `rules/<id>.ts` (helper modules included), `test/rules/<id>.test.ts` or
// `docs/rules/<id>.md`, and neither rules/index.ts nor the README names it. Every edit is worked out
// before anything is written: on any error nothing changes, the reason goes to stderr, exit code 1
// (2 for a usage error). Plain Node, no dependency.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const USAGE = 'usage: npm run new-rule <id> [-- --description TEXT] [--severity error|warn] [--root DIR]';

/** Kebab-case, as every rule id is (`cidr-overlap`, `serviceimport-port-conflict`). */
const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Words that cannot name the rule's import binding in rules/index.ts. */
const RESERVED = new Set(
  (
    'await break case catch class const continue debugger default delete do else enum export extends false finally for function if ' +
    'implements import in instanceof interface let new null package private protected public return static super switch this throw ' +
    'true try typeof var void while with yield RULES Rule'
  ).split(' '),
);

/** An error the user can fix: printed without a stack. */
class ScaffoldError extends Error {}

/** `serviceimport-port-conflict` → `serviceimportPortConflict` (the import name in rules/index.ts). */
function bindingName(id) {
  const name = id.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
  return RESERVED.has(name) ? `${name}Rule` : name;
}

/** The rule module: meta, a docstring template naming what to cite, and an example check. */
function ruleSource({ id, description, severity }) {
  return `import { defineRule } from './kit.js';

/**
 * \`${id}\`: TODO say in one or two sentences what this rule finds and across which clusters of
 * a ClusterSet (cross-cluster rules compare the clusters of one set only).
 *
 * Rules import only the rule kit (\`rules/kit.ts\`) and word findings as data: a message id of
 * \`meta.messages\` (one sentence, plus a hint saying what the controller does and how to fix it)
 * and the values that fill it.
 *
 * The example check below (replace it) reports a Service whose \`spec.type\` differs from the
 * type the same \`namespace/name\` has in the first cluster (by name) that defines it, at the
 * offending \`spec.type\`, with the first cluster's as the related place. It reads the model's
 * \`ClusterSetModel.servicesByKey\`: rules query the model (facts with their provenance, built
 * once) and word the findings; they never parse manifests or build their own indexes.
 *
 * Upstream: TODO the behaviour this rule mirrors — the project, file and function whose
 * behaviour it predicts (e.g. Cilium \`pkg/clustermesh/...\`, Istio
 * \`pkg/config/analysis/analyzers/...\`, Submariner Lighthouse \`pkg/agent/controller/...\`), and
 * the documentation page a user would read. Say the same under "Upstream behaviour" in
 * docs/rules/${id}.md.
 */
export default defineRule({
  meta: {
    id: '${id}',
    description: '${description.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}',
    severity: '${severity}',
    docs: 'docs/rules/${id}.md',
    messages: {
      typeDiffers: {
        text: 'Service "{{service}}" has type {{type}} in cluster "{{cluster}}" but {{firstType}} in cluster "{{firstCluster}}".',
        hint: 'TODO what the controller will do with it, and how to fix it.',
      },
    },
  },
  check({ set, report }) {
    for (const [key, services] of set.servicesByKey) {
      const first = services[0];
      for (const service of services) {
        if (service.cluster === first.cluster || service.type.value === first.type.value) continue;
        report({
          messageId: 'typeDiffers',
          data: { service: key, type: service.type.value, cluster: service.cluster, firstType: first.type.value, firstCluster: first.cluster },
          at: service.type.source,
          cluster: service.cluster,
          related: [{ ...first.type.source, cluster: first.cluster, message: \`type \${first.type.value} in cluster "\${first.cluster}"\` }],
        });
      }
    }
  },
});
`;
}

/** The rule's table test: one valid and one invalid case the example check passes and fails. */
function testSource({ id, severity }) {
  return `import rule from '../../rules/${id}.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { service } from '../helpers/manifests.js';

// service(name, namespace, type): \`type:\` on line 7, its value at column 9.
const typeValue = { line: 7, column: 9 };

ruleTester(rule, {
  valid: [
    {
      name: 'the same type in every cluster',
      files: {
        'east/web.yaml': service('web', 'shop', 'NodePort'),
        'west/web.yaml': service('web', 'shop', 'NodePort'),
      },
    },
  ],
  invalid: [
    {
      name: 'ClusterIP in one cluster, NodePort in the other: reported at the later cluster',
      files: {
        'east/web.yaml': service('web', 'shop', 'ClusterIP'),
        'west/web.yaml': service('web', 'shop', 'NodePort'),
      },
      findings: [
        {
          file: 'west/web.yaml',
          ...typeValue,
          severity: ${severity === 'error' ? 2 : 1},
          cluster: 'west',
          messageId: 'typeDiffers',
          data: { service: 'shop/web', type: 'NodePort', cluster: 'west', firstType: 'ClusterIP', firstCluster: 'east' },
          related: [{ file: 'east/web.yaml', ...typeValue, cluster: 'east' }],
        },
      ],
    },
  ],
});
`;
}

/** The documentation page, with every section test/docs.test.ts checks. */
function docSource({ id, description, severity }) {
  return `# ${id}

**Default severity:** ${severity} · **Options:** none

${description}. TODO: say in two or three sentences what the rule reports, where (which field), and
in which clusters.

## What it checks

TODO: the fields read (and their fact sources), the defaults assumed when a field is absent, and
what is deliberately not reported.

## Why

TODO: what the controller or the data plane does with such manifests (the failure a user would
see), so the finding is worth fixing before the manifests are applied.

## Examples

Bad — TODO: why this is wrong:

\`\`\`yaml
# east/web.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: ClusterIP
---
# west/web.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: NodePort   # TODO: the finding's message
\`\`\`

Good — TODO: the fix:

\`\`\`yaml
# west/web.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: ClusterIP
\`\`\`

## Options

None. Severity as for every rule (\`rules: { ${id}: warn }\`, \`--rule ${id}:off\`).

## Upstream behaviour

TODO: cite the upstream code and documentation this rule mirrors (project, file, function), as in
the rule's docstring.
`;
}

/** A table cell: no line break, and a `|` would end the cell. */
const cell = (text) => text.replace(/\s+/g, ' ').replace(/\|/g, '\\|');

/** rules/index.ts with the rule imported after the last import and appended to `RULES`. */
function registerInIndex(text, id, binding) {
  const lines = text.split('\n');
  const lastImport = lines.findLastIndex((l) => /^import .* from '.*';$/.test(l));
  const start = lines.findIndex((l) => /^export const RULES\b.*=\s*\[\s*$/.test(l));
  const close = start < 0 ? -1 : lines.findIndex((l, i) => i > start && /^\]/.test(l));
  if (lastImport < 0 || start < lastImport || close < 0) {
    throw new ScaffoldError('rules/index.ts: expected import lines, then `export const RULES … = [`, one rule per line, and a line starting with `]`');
  }
  const indent = /^\s+/.exec(lines[close - 1])?.[0] ?? '  ';
  lines.splice(close, 0, `${indent}${binding},`);
  lines.splice(lastImport + 1, 0, `import ${binding} from './${id}.js';`);
  return lines.join('\n');
}

/** README.md with a row for the rule after the last row of the rule table. */
function addReadmeRow(text, { id, description, severity }) {
  const lines = text.split('\n');
  const header = lines.findIndex((l) => /^\|\s*rule\s*\|\s*default\s*\|/.test(l));
  if (header < 0) throw new ScaffoldError('README.md: the rule table (`| rule | default | what it finds |`) was not found');
  let last = header + 1;
  while (last + 1 < lines.length && lines[last + 1].startsWith('|')) last++;
  const what = description.charAt(0).toLowerCase() + description.slice(1);
  lines.splice(last + 1, 0, `| [\`${id}\`](docs/rules/${id}.md) | ${severity} | ${cell(what)} |`);
  return lines.join('\n');
}

/**
 * Works out every file to write for rule `id` under `root`. Returns `[path, text]` pairs (paths
 * relative to `root`); throws ScaffoldError when the id is invalid or taken, or when
 * rules/index.ts or README.md do not have the shape the registration expects.
 */
export function plan(root, { id, description, severity }) {
  if (!ID.test(id))
    throw new ScaffoldError(`"${id}" is not a kebab-case rule id (lower-case letters and digits in words joined by "-", starting with a letter, e.g. "cidr-overlap")`);
  if (id === 'index') throw new ScaffoldError('"index" is the rule registry (rules/index.ts), not a rule id');
  if (!['error', 'warn'].includes(severity))
    throw new ScaffoldError(
      `--severity must be error or warn, not "${severity}" (a rule that is off by default starts as warn, and is switched off once its tests enable it in a config)`,
    );
  if (/\n/.test(description) || description.trim() === '') throw new ScaffoldError('--description must be one non-empty line');
  const files = { rule: `rules/${id}.ts`, test: `test/rules/${id}.test.ts`, doc: `docs/rules/${id}.md` };
  for (const path of Object.values(files)) {
    if (existsSync(join(root, path))) throw new ScaffoldError(`"${id}" is taken: ${path} exists`);
  }
  const read = (path) => {
    try {
      return readFileSync(join(root, path), 'utf8');
    } catch {
      throw new ScaffoldError(`${path} not found under ${root}`);
    }
  };
  const index = read('rules/index.ts');
  const readme = read('README.md');
  if (index.includes(`'./${id}.js'`)) throw new ScaffoldError(`"${id}" is taken: rules/index.ts imports ./${id}.js`);
  if (readme.includes(`(docs/rules/${id}.md)`)) throw new ScaffoldError(`"${id}" is taken: README.md links docs/rules/${id}.md`);
  const binding = bindingName(id);
  if (new RegExp(`\\b${binding}\\b`).test(index)) throw new ScaffoldError(`rules/index.ts already uses the name ${binding}`);
  const spec = { id, description, severity };
  return [
    [files.rule, ruleSource(spec)],
    [files.test, testSource(spec)],
    [files.doc, docSource(spec)],
    ['rules/index.ts', registerInIndex(index, id, binding)],
    ['README.md', addReadmeRow(readme, spec)],
  ];
}

function main() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        root: { type: 'string' },
        description: { type: 'string' },
        severity: { type: 'string', default: 'error' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    process.stderr.write(`new-rule: ${e.message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) {
    process.stderr.write(`new-rule: give exactly one rule id\n${USAGE}\n`);
    return 2;
  }
  const root = resolve(values.root ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const id = positionals[0];
  try {
    const writes = plan(root, { id, description: values.description ?? `TODO: one line for --list-rules and the README`, severity: values.severity });
    for (const [path, text] of writes) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const shown = (p) => (root === process.cwd() || !relative(process.cwd(), root).startsWith('..') ? relative(process.cwd(), join(root, p)) : join(root, p));
    process.stdout.write(
      `Created ${writes
        .slice(0, 3)
        .map(([p]) => shown(p))
        .join(', ')}; registered "${id}" in ${shown('rules/index.ts')} and ${shown('README.md')}.\n` +
        `Next: replace the example check and the TODOs, then run npx vitest run test/rules/${id}.test.ts test/docs.test.ts test/rules-registry.test.ts\n`,
    );
    return 0;
  } catch (e) {
    if (!(e instanceof ScaffoldError)) throw e;
    process.stderr.write(`new-rule: ${e.message}\n`);
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main();
