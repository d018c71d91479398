/**
 * End-to-end (the built binary): config lookup from DIR up to the repository root, the config
 * file named in the run summary, `--print-config`, and the summary's count of objects of kinds
 * no rule reads (with `--verbose` listing them), identical with and without parse workers.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { RULES } from '../rules/index.js';
import { bin, runCli } from './helpers/run-cli.js';
import { writeScenario, yaml, type Files } from './helpers/scenario.js';

beforeAll(() => {
  if (!existsSync(bin)) throw new Error('dist/mclint.js is missing: run `npm run build` (npm test does it)');
});

/**
 * The run summary without its list of clusters (`[east (folder, 1 input), …]` after
 * "ClusterSet", or a `Clusters: …` line), another part of the summary, tested elsewhere.
 */
const summary = (text: string) => text.replace(/^(\n?Read \d+ clusters? in \d+ ClusterSets?) \[[^\]]*\]/, '$1').replace(/^Clusters: .*\n/m, '');

const service = (name: string) => `apiVersion: v1\nkind: Service\nmetadata: { name: ${name}, namespace: shop }\nspec: { ports: [{ port: 80 }] }\n`;

/** A repository: `.git`, a root config, two clusters under k8s/clusters, docs beside them. */
function repository(config: string, extra: Files = {}): string {
  return writeScenario({
    '.git/HEAD': 'ref: refs/heads/main\n',
    'mclint.config.yaml': config,
    'k8s/clusters/east/svc.yaml': service('web'),
    'k8s/clusters/west/svc.yaml': service('web'),
    ...extra,
  });
}

const CONFIG = yaml`
  clusterDomain: corp.example
  clusters:
    - name: east
      path: k8s/clusters/east
      podCIDRs: [10.0.0.0/16]
      region: us-east-1
    - name: west
      path: k8s/clusters/west
      serviceCIDRs: [172.16.0.0/16]
  clusterSets:
    - name: prod
      clusters: [east, west]
  rules:
    cidr-overlap: warn
    naming-convention: [error, { pattern: '^[a-z]+$' }]
  overrides:
    - files: ['legacy/**']
      rules: { schema: off }
      reason: moving in Q3
  ignore: ['vendor/**']
`;

describe('--print-config', () => {
  it('prints the resolved configuration as YAML, found from a nested working directory, and exits 0 without linting', () => {
    const root = repository(CONFIG);
    const r = runCli(['--print-config', '--rule', 'schema:off', '--no-inline-config', '--report-unused-disable-directives'], { cwd: join(root, 'k8s') });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const printed = parseYaml(r.stdout) as Record<string, unknown> & { rules: Record<string, { severity: string; options: unknown }> };
    expect({ ...printed, rules: undefined }).toEqual({
      configFile: '../mclint.config.yaml',
      baseDirectory: '..',
      clusterDomain: 'corp.example',
      clusters: [
        { name: 'east', path: 'clusters/east', podCIDRs: ['10.0.0.0/16'], serviceCIDRs: [], region: 'us-east-1', zones: [] },
        { name: 'west', path: 'clusters/west', podCIDRs: [], serviceCIDRs: ['172.16.0.0/16'], zones: [] },
      ],
      clusterSets: [{ name: 'prod', clusters: ['east', 'west'] }],
      rules: undefined,
      overrides: [{ files: ['legacy/**'], rules: { schema: 'off' }, reason: 'moving in Q3' }],
      ignore: ['vendor/**'],
      noInlineConfig: true,
      reportUnusedDisableDirectives: 'warn',
    });
    // Every rule of the registry, sorted, with its severity after the config and --rule flags.
    expect(Object.keys(printed.rules)).toEqual(RULES.map((rule) => rule.meta.id).sort());
    expect(printed.rules['cidr-overlap']).toEqual({ severity: 'warn', options: {} });
    expect(printed.rules.schema).toEqual({ severity: 'off', options: {} });
    expect(printed.rules['naming-convention'].severity).toBe('error');
    expect(printed.rules['naming-convention'].options).toMatchObject({ pattern: '^[a-z]+$' });
    const untouched = RULES.find((rule) => !['cidr-overlap', 'schema', 'naming-convention'].includes(rule.meta.id))!.meta;
    expect(printed.rules[untouched.id].severity).toBe(untouched.severity);
    // No lint ran: no findings, no summary.
    expect(r.stdout).not.toContain('Read ');
  });

  it('--format json prints the same configuration as JSON', () => {
    const root = repository(CONFIG);
    const args = ['--print-config', '--rule', 'cidr-overlap:error', 'k8s/clusters'];
    const asYaml = runCli(args, { cwd: root });
    const asJson = runCli([...args, '--format', 'json'], { cwd: root });
    expect(asJson.status).toBe(0);
    expect(asJson.stderr).toBe('');
    const printed = JSON.parse(asJson.stdout) as { configFile: string; baseDirectory: string; rules: Record<string, { severity: string }> };
    expect(printed.configFile).toBe('mclint.config.yaml');
    expect(printed.baseDirectory).toBe('.');
    expect(printed.rules['cidr-overlap'].severity).toBe('error');
    expect(printed).toEqual(parseYaml(asYaml.stdout));
  });

  it('without a config file: configFile null, defaults, and --cluster flags as the clusters', () => {
    const root = writeScenario({ '.git/HEAD': '', 'east/svc.yaml': service('web'), 'west/svc.yaml': service('web') });
    const r = runCli(['--print-config', '-f', 'json', '--cluster', 'east=east', '--cluster', 'west=west'], { cwd: root });
    expect(r.status).toBe(0);
    const printed = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(printed).toMatchObject({
      configFile: null,
      baseDirectory: '.',
      clusterDomain: 'cluster.local',
      clusters: [
        { name: 'east', path: 'east', podCIDRs: [], serviceCIDRs: [], zones: [] },
        { name: 'west', path: 'west', podCIDRs: [], serviceCIDRs: [], zones: [] },
      ],
      clusterSets: [],
      overrides: [],
      ignore: [],
      noInlineConfig: false,
      reportUnusedDisableDirectives: 'off',
    });
  });

  it.each<[string, string[], Files, RegExp]>([
    ['an unknown rule in --rule', ['--print-config', '--rule', 'no-such-rule:warn'], {}, /unknown rule "no-such-rule"/],
    ['an invalid config', ['--print-config'], { 'mclint.config.yaml': 'clusterz: []\n' }, /mclint\.config\.yaml is not a valid mclint config:\n {2}1:1 /],
    [
      'two config files in one directory',
      ['--print-config'],
      { 'mclint.config.yaml': '', 'mclint.config.json': '{}' },
      /mclint\.config\.yaml and mclint\.config\.json: two config files in one directory/,
    ],
    ['two DIRs', ['--print-config', 'east', 'west'], {}, /--print-config takes at most one DIR/],
    ['a format other than json', ['--print-config', '-f', 'sarif'], {}, /--print-config prints YAML to standard output, or JSON with --format json/],
  ])('%s is a usage error (exit 2)', (_name, args, files, message) => {
    const root = writeScenario({ '.git/HEAD': '', 'east/svc.yaml': service('web'), 'west/svc.yaml': service('web'), ...files });
    const r = runCli(args, { cwd: root });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });
});

describe('config lookup in a run', () => {
  it('the config found above DIR applies and the summary names it, relative to the working directory', () => {
    const root = repository('rules:\n  cidr-overlap: off\n');
    for (const [cwd, args, shown] of [
      [root, [], 'mclint.config.yaml'],
      [root, ['k8s'], 'mclint.config.yaml'],
      [join(root, 'k8s'), [], '../mclint.config.yaml'],
      [join(root, 'k8s/clusters'), ['.'], '../../mclint.config.yaml'],
    ] as const) {
      const r = runCli([...args, '-f', 'json'], { cwd });
      expect(r.status, `${cwd} ${args.join(' ')}`).toBe(0);
      expect(summary(r.stderr), `${cwd} ${args.join(' ')}`).toMatch(
        new RegExp(`^Read 2 clusters in 1 ClusterSet: 2 files, 2 documents; config ${shown.replace(/\./g, '\\.')}\\.\\n$`),
      );
    }
  });

  it('a config above the repository root is not used (no config named)', () => {
    const outer = writeScenario({
      'mclint.config.yaml': 'rules: { no-such-rule: error }\n',
      'repo/.git/HEAD': '',
      'repo/clusters/east/svc.yaml': service('web'),
      'repo/clusters/west/svc.yaml': service('web'),
    });
    const r = runCli([], { cwd: join(outer, 'repo') });
    expect(r.status).toBe(0);
    expect(summary(r.stdout.trimStart())).toBe('Read 2 clusters in 1 ClusterSet: 2 files, 2 documents.\n');
  });

  it('a JSON config with a syntax error is exit 2 with file:line:column', () => {
    const root = writeScenario({ '.git/HEAD': '', 'mclint.config.json': '{\n  "rules": {\n    "cidr-overlap": warn\n  }\n}\n', 'east/a.yaml': service('a') });
    const r = runCli([], { cwd: root });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`mclint: mclint.config.json:3:21: invalid JSON: Unexpected token 'w'\n`);
  });
});

describe('objects of kinds no rule reads', () => {
  const EAST = yaml`
    apiVersion: v1
    kind: ServiceAccount
    metadata: { name: a, namespace: shop }
    ---
    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata: { name: reader }
    ---
    apiVersion: v1
    kind: List
    items:
      - apiVersion: v1
        kind: ServiceAccount
        metadata: { name: b, namespace: shop }
      - apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: { name: web, namespace: shop }
  `;
  const WEST = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: web, namespace: shop }\n';

  it('the summary counts them; --verbose lists each kind, sorted, with its count', () => {
    const root = writeScenario({
      '.git/HEAD': '',
      'clusters/east/svc.yaml': service('web'),
      'clusters/east/rbac.yaml': EAST,
      'clusters/west/svc.yaml': service('web'),
      'clusters/west/ingress.yaml': WEST,
    });
    const plain = runCli([], { cwd: root });
    expect(plain.status).toBe(0);
    expect(summary(plain.stdout)).toBe('\nRead 2 clusters in 1 ClusterSet: 4 files, 6 documents; 5 objects of 4 kinds no rule reads, --verbose lists them.\n');
    const verbose = runCli(['--verbose', '-f', 'json'], { cwd: root });
    expect(verbose.status).toBe(0);
    expect(summary(verbose.stderr)).toBe(
      'Read 2 clusters in 1 ClusterSet: 4 files, 6 documents; 5 objects of 4 kinds no rule reads.\n' +
        '  no rule reads networking.k8s.io/v1 Ingress: 1 object\n' +
        '  no rule reads policy/v1 PodDisruptionBudget: 1 object\n' +
        '  no rule reads rbac.authorization.k8s.io/v1 ClusterRole: 1 object\n' +
        '  no rule reads v1 ServiceAccount: 2 objects\n',
    );
  });

  it('parse workers give the same summary as loading on one thread', () => {
    const files: Files = { '.git/HEAD': '' };
    // 150 files: more than two batches of 64, so that two workers get work.
    for (let i = 0; i < 75; i++) {
      for (const cluster of ['east', 'west']) {
        files[`clusters/${cluster}/f${String(i).padStart(3, '0')}.yaml`] =
          i % 3 === 0 ? EAST : i % 3 === 1 ? WEST : `${service(`s${i}`)}---\napiVersion: v1\nkind: ServiceAccount\nmetadata: { name: s${i}, namespace: shop }\n`;
      }
    }
    const root = writeScenario(files);
    const single = runCli(['--verbose', '-f', 'json', '--concurrency', 'off'], { cwd: root });
    const workers = runCli(['--verbose', '-f', 'json', '--concurrency', '2'], { cwd: root });
    expect(single.status).toBe(0);
    expect(workers.status).toBe(0);
    // 25 EAST files per cluster (5 objects each), 25 WEST (1 Ingress), 25 with 1 ServiceAccount.
    expect(summary(single.stderr)).toBe(
      'Read 2 clusters in 1 ClusterSet: 150 files, 300 documents; 300 objects of 4 kinds no rule reads.\n' +
        '  no rule reads networking.k8s.io/v1 Ingress: 50 objects\n' +
        '  no rule reads policy/v1 PodDisruptionBudget: 50 objects\n' +
        '  no rule reads rbac.authorization.k8s.io/v1 ClusterRole: 50 objects\n' +
        '  no rule reads v1 ServiceAccount: 150 objects\n',
    );
    expect(workers.stderr).toBe(single.stderr);
    expect(workers.stdout).toBe(single.stdout);
  });
});
