/**
 * Config stage (DESIGN.md §2, §5): `mclint.config.yaml` loading and validation, config lookup,
 * and rule states from rule defaults, the config file and `--rule` flags.
 */
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { ConfigError, findConfig, loadConfigFile, type RuleSetting } from '../src/config/index.js';
import { parseRuleFlag, resolveRuleStates, type RuleState } from '../src/engine/rule-config.js';
import type { RuleMeta } from '../src/engine/types.js';
import { lint } from '../src/lint.js';
import { writeScenario, yaml } from './helpers/scenario.js';

/** Awaits `run` (a value or a promise) and returns the ConfigError it throws; fails the test on any other outcome. */
async function configError(run: () => unknown): Promise<ConfigError> {
  let error: unknown;
  try {
    await run();
  } catch (e) {
    error = e;
  }
  expect(error, 'expected a ConfigError').toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

/** Writes `text` as a config file and returns its absolute path. */
function configFile(text: string, name = 'mclint.config.yaml'): string {
  return join(writeScenario({ [name]: text }), name);
}

describe('loadConfigFile', () => {
  it('a full valid config resolves with absolute paths and every field', async () => {
    const file = configFile(yaml`
      # mclint configuration
      clusterDomain: corp.example
      clusters:
        - name: prod-usw1-gen-01
          path: clusters/prod-usw1-gen-01
          podCIDRs: [10.0.0.0/16]
          serviceCIDRs: [172.16.0.0/16]
          region: us-west-1
          zones: [us-west-1a, us-west-1b]
          network: network1
        - name: prod-euc1-gen-01
          path: ./gitops/../eu/
          podCIDRs: ["10.1.0.0/16", "fd00:10:244::/56"]
        - name: lab
      clusterSets:
        - name: prod
          clusters: [prod-usw1-gen-01, prod-euc1-gen-01]
        - name: lab
          clusters: [lab]
      rules:
        cidr-overlap: error
        schema: warn
        parse-error: 2
        service-export-pairing: 1
        some-rule: 0
        other-rule: 'off'
        naming-convention: [error, { pattern: '^(prod|stag|dev|test)-[a-z]+[0-9]-[a-z]+-[0-9]{2}$' }]
        single: [warn]
      ignore: ['**/charts/**/templates/**', 'vendor/**']
      overrides:
        - files: ['legacy/**']
          clusters: ['prod-*']
          namespaces: [shop]
          kinds: [ServiceExport]
          rules: { service-export-pairing: off, cidr-overlap: 1 }
          reason: moving in Q3
        - rules: { schema: warn }
      noInlineConfig: true
      reportUnusedDisableDirectives: true
    `);
    const dir = join(file, '..');
    const config = await loadConfigFile(file);
    expect(config).toEqual({
      file,
      dir,
      clusterDomain: 'corp.example',
      clusters: [
        {
          name: 'prod-usw1-gen-01',
          index: 0,
          path: join(dir, 'clusters/prod-usw1-gen-01'),
          podCIDRs: ['10.0.0.0/16'],
          serviceCIDRs: ['172.16.0.0/16'],
          region: 'us-west-1',
          zones: ['us-west-1a', 'us-west-1b'],
          network: 'network1',
        },
        { name: 'prod-euc1-gen-01', index: 1, path: join(dir, 'eu'), podCIDRs: ['10.1.0.0/16', 'fd00:10:244::/56'], serviceCIDRs: [], zones: [] },
        { name: 'lab', index: 2, podCIDRs: [], serviceCIDRs: [], zones: [] },
      ],
      clusterSets: [
        { name: 'prod', index: 0, clusters: ['prod-usw1-gen-01', 'prod-euc1-gen-01'] },
        { name: 'lab', index: 1, clusters: ['lab'] },
      ],
      rules: {
        'cidr-overlap': 'error',
        schema: 'warn',
        'parse-error': 2,
        'service-export-pairing': 1,
        'some-rule': 0,
        'other-rule': 'off',
        'naming-convention': ['error', { pattern: '^(prod|stag|dev|test)-[a-z]+[0-9]-[a-z]+-[0-9]{2}$' }],
        single: ['warn'],
      },
      ignore: ['**/charts/**/templates/**', 'vendor/**'],
      overrides: [
        {
          index: 0,
          files: ['legacy/**'],
          clusters: ['prod-*'],
          namespaces: ['shop'],
          kinds: ['ServiceExport'],
          rules: { 'service-export-pairing': 'off', 'cidr-overlap': 1 },
          reason: 'moving in Q3',
        },
        { index: 1, rules: { schema: 'warn' } },
      ],
      noInlineConfig: true,
      reportUnusedDisableDirectives: 'warn',
    });
    expect(config.clusters![2].path).toBeUndefined();
  });

  it('an unquoted `off` severity is the severity off, as in ESLint configs, not a YAML 1.1 boolean', async () => {
    const file = configFile(yaml`
      rules:
        cidr-overlap: off
        schema: [off]
    `);
    const config = await loadConfigFile(file);
    expect(config.rules).toEqual({ 'cidr-overlap': 'off', schema: ['off'] });
    const states = await resolveRuleStates(
      RULES.map((r) => r.meta),
      config.rules,
      [],
    );
    expect(states.has('cidr-overlap')).toBe(false);
    expect(states.has('schema')).toBe(false);
  });

  it('defaults are applied: clusterDomain cluster.local, empty lists, no rules', async () => {
    const file = configFile(yaml`
      clusters:
        - name: east
    `);
    const config = await loadConfigFile(file);
    expect(config).toEqual({
      file,
      dir: join(file, '..'),
      clusterDomain: 'cluster.local',
      clusters: [{ name: 'east', index: 0, podCIDRs: [], serviceCIDRs: [], zones: [] }],
      rules: {},
      ignore: [],
      overrides: [],
      noInlineConfig: false,
    });
    expect(config.clusterSets).toBeUndefined();
  });

  it('an empty file, or one holding only comments, is a valid config with every default', async () => {
    for (const text of ['', '# nothing configured yet\n', '---\n']) {
      const file = configFile(text);
      const config = await loadConfigFile(file);
      expect(config).toEqual({ file, dir: join(file, '..'), clusterDomain: 'cluster.local', rules: {}, ignore: [], overrides: [], noInlineConfig: false });
      expect(config.clusters).toBeUndefined();
    }
  });

  it('a relative path is resolved against the current directory and cluster paths against the file', async () => {
    const file = configFile(
      yaml`
      clusters:
        - name: east
          path: ../east
    `,
      'conf/mclint.config.yaml',
    );
    const config = await loadConfigFile(relative(process.cwd(), file));
    expect(config.file).toBe(file);
    expect(config.dir).toBe(join(file, '..'));
    expect(config.clusters![0].path).toBe(join(file, '../../east'));
  });

  describe('invalid configs are ConfigErrors naming the line:column of the offending field', () => {
    it('an unknown top-level key', async () => {
      const file = configFile(yaml`
        clusterDomain: cluster.local
        clusterz: []
      `);
      const e = await configError(() => loadConfigFile(file));
      expect(e.message).toContain(file);
      expect(e.message).toMatch(/\b2:1\b.*clusterz/);
      expect(e.message).toContain('did you mean "clusters"');
    });

    it('an invalid CIDR: podCIDRs: [10.0.0.300/33]', async () => {
      const file = configFile(yaml`
        clusters:
          - name: east
            podCIDRs: [10.0.0.300/33]
      `);
      const e = await configError(() => loadConfigFile(file));
      expect(e.message).toMatch(/\b3:16\b.*clusters\[0\]\.podCIDRs\[0\]/);
      expect(e.message).toContain('10.0.0.300/33');
      expect(e.message).toContain('CIDR');
    });

    it('a valid CIDR next to an invalid one: only the invalid one is reported', async () => {
      const file = configFile(yaml`
        clusters:
          - name: east
            serviceCIDRs: [172.16.0.0/16, 172.16.0.0/33]
      `);
      const e = await configError(() => loadConfigFile(file));
      expect(e.message).toMatch(/\b3:35\b.*serviceCIDRs\[1\]/);
      expect(e.message).not.toContain('serviceCIDRs[0]');
    });

    it('a wrong type: clusters: {}', async () => {
      const file = configFile('clusters: {}\n');
      const e = await configError(() => loadConfigFile(file));
      expect(e.message).toMatch(/\b1:11\b.*"clusters" must be array/);
      expect(e.message).toContain('found a mapping');
    });

    it('a wrong type deeper down: zones as a string', async () => {
      const file = configFile(yaml`
        clusters:
          - name: east
            zones: us-west-1a
      `);
      const e = await configError(() => loadConfigFile(file));
      expect(e.message).toMatch(/\b3:12\b.*clusters\[0\]\.zones/);
    });

    it('a rule severity "fatal"', async () => {
      const file = configFile(yaml`
        rules:
          cidr-overlap: fatal
      `);
      const e = await configError(() => loadConfigFile(file));
      expect(e.message).toMatch(/\b2:17\b.*rules\.cidr-overlap/);
      expect(e.message).toContain('"fatal"');
      expect(e.message).toMatch(/"off", "warn", "error", 0, 1, 2/);
    });

    it('a rule severity "fatal" inside [severity, options]', async () => {
      const file = configFile(yaml`
        rules:
          cidr-overlap: [fatal, {}]
      `);
      const e = await configError(() => loadConfigFile(file));
      expect(e.message).toMatch(/\b2:18\b.*"fatal"/);
    });

    it('rule options that are not a mapping', async () => {
      const file = configFile(yaml`
        rules:
          cidr-overlap: [error, strict]
      `);
      const e = await configError(() => loadConfigFile(file));
      expect(e.message).toMatch(/\b2:\d+\b.*rules\.cidr-overlap/);
    });

    it('a missing cluster name and a clusterSet without clusters', async () => {
      const file = configFile(yaml`
        clusters:
          - path: east
        clusterSets:
          - name: prod
      `);
      const e = await configError(() => loadConfigFile(file));
      expect(e.message).toMatch(/\b2:5\b.*clusters\[0\]\.name/);
      expect(e.message).toMatch(/\b4:5\b.*clusterSets\[0\]\.clusters/);
    });

    it('every violation is listed, each with its own position', async () => {
      const file = configFile(yaml`
        clusterz: 1
        clusters:
          - name: east
            zones: us-west-1a
      `);
      const e = await configError(() => loadConfigFile(file));
      expect(e.message).toMatch(/\b1:1\b.*clusterz/);
      expect(e.message).toMatch(/\b4:12\b.*zones/);
    });

    it('a config that is not a mapping says so clearly', async () => {
      const file = configFile('just a string\n');
      const e = await configError(() => loadConfigFile(file));
      expect(e.message).toMatch(/\b1:1\b/);
      expect(e.message).toMatch(/must be (an )?object|mapping/);
      // The offending "field" is the whole document: it must be named, not printed as "".
      expect(e.message).not.toContain('""');
    });

    it('invalid YAML gives the position in the message', async () => {
      const file = configFile(yaml`
        rules:
          cidr-overlap: error
           schema: warn
      `);
      const e = await configError(() => loadConfigFile(file));
      expect(e.message).toMatch(new RegExp(`^${escape(file)}:3:\\d+: invalid YAML: `));
    });

    it('an unclosed flow sequence is invalid YAML with a position', async () => {
      const file = configFile(yaml`
        clusters:
          - name: east
            podCIDRs: [10.0.0.0/16
          - name: west
      `);
      const e = await configError(() => loadConfigFile(file));
      expect(e.message).toMatch(new RegExp(`^${escape(file)}:[34]:\\d+: invalid YAML`));
    });

    it('a duplicate key is invalid YAML', async () => {
      const file = configFile(yaml`
        clusterDomain: a.local
        clusterDomain: b.local
      `);
      const e = await configError(() => loadConfigFile(file));
      expect(e.message).toMatch(new RegExp(`^${escape(file)}:2:1: invalid YAML: .*duplicate`));
    });

    it('a trailing document marker is not a second document', async () => {
      const file = configFile('rules:\n  cidr-overlap: warn\n---\n');
      const config = await loadConfigFile(file);
      expect(config.rules).toEqual({ 'cidr-overlap': 'warn' });
    });

    it('a file with two documents is rejected', async () => {
      const file = configFile(yaml`
        clusterDomain: a.local
        ---
        rules: {}
      `);
      const e = await configError(() => loadConfigFile(file));
      expect(e.message).toContain(file);
      expect(e.message).toContain('single YAML document');
    });

    it('two clusters with the same name are rejected', async () => {
      const file = configFile(yaml`
        clusters:
          - name: east
          - name: east
      `);
      const e = await configError(() => loadConfigFile(file));
      expect(e.message).toContain('"east"');
      expect(e.message).toContain('twice');
    });
  });
});

/** Escapes a string for use in a RegExp. */
function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('findConfig', () => {
  it('finds mclint.config.yaml in the linted directory', async () => {
    const root = writeScenario({ 'mclint.config.yaml': 'clusterDomain: corp.example\n' });
    const config = await findConfig(root);
    expect(config.file).toBe(join(root, 'mclint.config.yaml'));
    expect(config.dir).toBe(root);
    expect(config.clusterDomain).toBe('corp.example');
  });

  it('without a config file, defaults with the linted directory as dir', async () => {
    const root = writeScenario({ 'east/a.yaml': 'kind: ConfigMap\n', 'east/mclint.config.yaml': 'clusterDomain: wrong.example\n' });
    const config = await findConfig(root);
    expect(config).toEqual({ dir: root, clusterDomain: 'cluster.local', rules: {}, ignore: [], overrides: [], noInlineConfig: false });
    expect(config.file).toBeUndefined();
    expect(config.clusters).toBeUndefined();
  });

  it('a directory named mclint.config.yaml is not a config file', async () => {
    const root = writeScenario({});
    mkdirSync(join(root, 'mclint.config.yaml'));
    const config = await findConfig(root);
    expect(config.file).toBeUndefined();
  });

  it('an explicit --config wins over the one in the directory', async () => {
    const root = writeScenario({
      'mclint.config.yaml': 'clusterDomain: local.example\n',
      'ci/strict.yaml': 'clusterDomain: ci.example\n',
    });
    const config = await findConfig(root, join(root, 'ci/strict.yaml'));
    expect(config.file).toBe(join(root, 'ci/strict.yaml'));
    expect(config.dir).toBe(join(root, 'ci'));
    expect(config.clusterDomain).toBe('ci.example');
  });

  it('a nonexistent --config path is a ConfigError', async () => {
    const root = writeScenario({ 'mclint.config.yaml': 'rules: {}\n' });
    const e = await configError(() => findConfig(root, join(root, 'missing.yaml')));
    expect(e.message).toContain('missing.yaml');
    expect(e.message).toContain('cannot read config file');
  });

  it('a --config that is a directory is a ConfigError', async () => {
    const root = writeScenario({ 'conf/x.yaml': '' });
    await configError(() => findConfig(root, join(root, 'conf')));
  });

  it('lint() turns a nonexistent --config into a ConfigError', async () => {
    const root = writeScenario({ 'east/a.yaml': 'kind: ConfigMap\n' });
    await configError(() => lint({ dirs: [root], configFile: join(root, 'nope.yaml') }));
  });
});

describe('findConfig: lookup from DIR up to the repository root', () => {
  const DOMAIN = (d: string) => `clusterDomain: ${d}\n`;

  it('from a nested DIR, the config at the repository root (a .git directory) is found; its paths stay relative to its own directory', async () => {
    const root = writeScenario({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'mclint.config.yaml': 'clusterDomain: root.example\nclusters:\n  - name: east\n    path: k8s/clusters/east\nignore: [vendor/**]\n',
      'k8s/clusters/east/a.yaml': '',
    });
    for (const dir of ['k8s/clusters/east', 'k8s/clusters', 'k8s', '.']) {
      const config = await findConfig(join(root, dir));
      expect(config.file, dir).toBe(join(root, 'mclint.config.yaml'));
      expect(config.dir, dir).toBe(root);
      expect(config.clusterDomain, dir).toBe('root.example');
      expect(config.clusters?.[0].path, dir).toBe(join(root, 'k8s/clusters/east'));
      expect(config.ignore, dir).toEqual(['vendor/**']);
    }
  });

  it('the nearest config wins: one in DIR or between DIR and the root shadows the root one', async () => {
    const root = writeScenario({
      '.git/HEAD': '',
      'mclint.config.yaml': DOMAIN('root.example'),
      'k8s/mclint.config.yml': DOMAIN('k8s.example'),
      'k8s/clusters/east/a.yaml': '',
    });
    const cases: [string, string, string][] = [
      ['k8s/clusters/east', 'k8s/mclint.config.yml', 'k8s.example'],
      ['k8s', 'k8s/mclint.config.yml', 'k8s.example'],
      ['.', 'mclint.config.yaml', 'root.example'],
    ];
    for (const [dir, file, domain] of cases) {
      const config = await findConfig(join(root, dir));
      expect(config.file, dir).toBe(join(root, file));
      expect(config.dir, dir).toBe(join(root, file, '..'));
      expect(config.clusterDomain, dir).toBe(domain);
    }
  });

  it('the search stops at the repository root: a config above the directory holding .git is not used', async () => {
    const outer = writeScenario({
      'mclint.config.yaml': DOMAIN('outside.example'),
      'repo/.git/HEAD': '',
      'repo/k8s/a.yaml': '',
    });
    const config = await findConfig(join(outer, 'repo/k8s'));
    expect(config.file).toBeUndefined();
    expect(config.dir).toBe(join(outer, 'repo/k8s'));
    expect(config.clusterDomain).toBe('cluster.local');
  });

  it('a .git file (a worktree or submodule) marks the repository root as well', async () => {
    const outer = writeScenario({
      'mclint.config.yaml': DOMAIN('outside.example'),
      'sub/.git': 'gitdir: ../.git/modules/sub\n',
      'sub/k8s/a.yaml': '',
    });
    expect((await findConfig(join(outer, 'sub/k8s'))).file).toBeUndefined();
    // The root itself is searched.
    const inRoot = writeScenario({ 'sub/.git': 'gitdir: x\n', 'sub/mclint.config.json': '{"clusterDomain": "sub.example"}', 'sub/k8s/a.yaml': '' });
    expect((await findConfig(join(inRoot, 'sub/k8s'))).clusterDomain).toBe('sub.example');
  });

  it('outside any repository the search goes on up (as ESLint flat config does)', async () => {
    const root = writeScenario({ 'mclint.config.yaml': DOMAIN('up.example'), 'a/b/c/x.yaml': '' });
    const config = await findConfig(join(root, 'a/b/c'));
    expect(config.file).toBe(join(root, 'mclint.config.yaml'));
    expect(config.clusterDomain).toBe('up.example');
  });

  it.each([
    ['mclint.config.yaml', 'clusterDomain: yaml.example\nrules: { cidr-overlap: off }\n', 'yaml.example'],
    ['mclint.config.yml', 'clusterDomain: yml.example\nrules: { cidr-overlap: off }\n', 'yml.example'],
    ['mclint.config.json', '{\n  "clusterDomain": "json.example",\n  "rules": { "cidr-overlap": "off" }\n}\n', 'json.example'],
  ])('%s is found and read', async (name, text, domain) => {
    const root = writeScenario({ '.git/HEAD': '', [name]: text, 'east/a.yaml': '' });
    const config = await findConfig(join(root, 'east'));
    expect(config.file).toBe(join(root, name));
    expect(config.clusterDomain).toBe(domain);
    expect(config.rules).toEqual({ 'cidr-overlap': 'off' });
  });

  it.each([
    [['mclint.config.yaml', 'mclint.config.yml'], 'mclint.config.yaml and ', 'mclint.config.yml'],
    [['mclint.config.yml', 'mclint.config.json'], 'mclint.config.yml and ', 'mclint.config.json'],
    [['mclint.config.yaml', 'mclint.config.yml', 'mclint.config.json'], 'mclint.config.yaml and ', 'mclint.config.json'],
  ])('two config files in one directory (%j) are a ConfigError naming them', async (names, first, last) => {
    const root = writeScenario({ '.git/HEAD': '', ...Object.fromEntries(names.map((n) => [`k8s/${n}`, DOMAIN('x.example')])), 'k8s/east/a.yaml': '' });
    const e = await configError(() => findConfig(join(root, 'k8s/east')));
    expect(e.message).toContain(first);
    expect(e.message).toContain(last);
    expect(e.message).toContain('two config files in one directory');
  });

  it('two config files in one directory are a usage error even when a nearer directory has none', async () => {
    const root = writeScenario({ '.git/HEAD': '', 'mclint.config.yaml': '', 'mclint.config.json': '{}', 'a/b/x.yaml': '' });
    await configError(() => findConfig(join(root, 'a/b')));
  });

  it('--config still wins over every config found by lookup', async () => {
    const root = writeScenario({
      '.git/HEAD': '',
      'mclint.config.yaml': DOMAIN('found.example'),
      'mclint.config.yml': DOMAIN('clash.example'),
      'ci/strict.json': '{"clusterDomain": "ci.example"}',
    });
    const config = await findConfig(root, join(root, 'ci/strict.json'));
    expect(config.clusterDomain).toBe('ci.example');
    expect(config.dir).toBe(join(root, 'ci'));
  });
});

describe('JSON configs', () => {
  it('a full JSON config resolves like the YAML one (paths relative to the file)', async () => {
    const file = configFile(
      JSON.stringify({
        clusters: [{ name: 'east', path: 'k8s/east', podCIDRs: ['10.0.0.0/16'] }],
        clusterSets: [{ name: 'prod', clusters: ['east'] }],
        rules: { 'cidr-overlap': 'warn', 'naming-convention': ['error', { pattern: '^[a-z]+$' }] },
        reportUnusedDisableDirectives: true,
      }),
      'mclint.config.json',
    );
    const config = await loadConfigFile(file);
    expect(config.clusters?.[0]).toMatchObject({ name: 'east', path: join(file, '..', 'k8s/east'), podCIDRs: ['10.0.0.0/16'] });
    expect(config.clusterSets).toEqual([{ name: 'prod', index: 0, clusters: ['east'] }]);
    expect(config.rules).toEqual({ 'cidr-overlap': 'warn', 'naming-convention': ['error', { pattern: '^[a-z]+$' }] });
    expect(config.reportUnusedDisableDirectives).toBe('warn');
  });

  it.each([
    ['an unexpected token (V8 gives no position)', '{\n  "rules": {\n    "cidr-overlap": error\n  }\n}\n', '3:21', /Unexpected token 'e'/],
    ['a trailing comma', '{\n  "clusterDomain": "a.local",\n}\n', '3:1', /property name/],
    ['a missing colon', '{\n  "clusterDomain" "a.local"\n}\n', '2:19', /':'/],
    ['an unterminated document', '{\n  "clusterDomain": "a.local"\n', '3:1', /Expected ',' or '}' after property value/],
    ['a comment (JSON has none)', '// settings\n{}\n', '1:1', /Unexpected token '\/'/],
    ['text after the object', '{}\n{}\n', '2:1', /non-whitespace/],
  ])('invalid JSON: %s, at line:column', async (_name, text, at, reason) => {
    const file = configFile(text, 'mclint.config.json');
    const e = await configError(() => loadConfigFile(file));
    expect(e.message).toMatch(new RegExp(`^${escape(file)}:${at}: invalid JSON: `));
    expect(e.message).toMatch(reason);
    expect(e.message).not.toContain('is not valid JSON');
  });

  it('schema violations name the line:column of the offending field', async () => {
    const file = configFile('{\n  "clusters": [\n    { "name": "east", "podCIDRs": ["10.0.0.300/33"] }\n  ],\n  "clusterz": 1\n}\n', 'mclint.config.json');
    const e = await configError(() => loadConfigFile(file));
    expect(e.message).toContain('is not a valid mclint config');
    expect(e.message).toMatch(/\b3:36\b.*10\.0\.0\.300\/33/);
    expect(e.message).toMatch(/\b5:3\b.*clusterz/);
  });

  it.each([
    ['[]', 'a list'],
    ['"clusters"', 'string'],
    ['null', 'null'],
  ])('a JSON config that is not an object (%s) says so at 1:1', async (text, found) => {
    const file = configFile(text, 'mclint.config.json');
    const e = await configError(() => loadConfigFile(file));
    expect(e.message).toMatch(new RegExp(`^${escape(file)}:1:1: the config must be a JSON object .*found ${found}`));
  });

  it('an empty .json file is invalid JSON, not an empty config', async () => {
    const file = configFile('', 'mclint.config.json');
    const e = await configError(() => loadConfigFile(file));
    expect(e.message).toMatch(/:1:1: invalid JSON: Unexpected end of JSON input/);
  });
});

// ---------------------------------------------------------------------------------------------

function meta(id: string, severity: RuleMeta['severity'], extra: Partial<RuleMeta> = {}): RuleMeta {
  return { id, description: `the ${id} rule`, severity, docs: `docs/rules/${id}.md`, ...extra };
}

const NAMING_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    pattern: { type: 'string', minLength: 1 },
    maxLength: { type: 'integer', minimum: 1 },
  },
};

/** Small fake rule metas: one per default severity, one with an options schema and defaults. */
function fakeMetas(): RuleMeta[] {
  return [
    meta('alpha', 'error'),
    meta('beta', 'warn'),
    meta('gamma', 'off'),
    meta('naming-convention', 'warn', { options: NAMING_SCHEMA, defaultOptions: { pattern: '^[a-z]+$', maxLength: 63 } }),
  ];
}

const CONFIG = '/repo/mclint.config.yaml';

async function resolveFake(config: Record<string, RuleSetting>, flags: string[] = [], metas = fakeMetas()): Promise<[string, RuleState][]> {
  return [...(await resolveRuleStates(metas, config, flags, CONFIG)).entries()];
}

describe('resolveRuleStates', () => {
  it('defaults come from the rule metas; rules off by default are not enabled', async () => {
    expect(await resolveFake({})).toEqual([
      ['alpha', { severity: 'error', options: {} }],
      ['beta', { severity: 'warn', options: {} }],
      ['naming-convention', { severity: 'warn', options: { pattern: '^[a-z]+$', maxLength: 63 } }],
    ]);
  });

  it('the real registry: every rule runs at its default severity with its default options', async () => {
    const states = await resolveRuleStates(
      RULES.map((r) => r.meta),
      {},
      [],
    );
    const expected = RULES.filter((r) => r.meta.severity !== 'off').map((r) => [r.meta.id, { severity: r.meta.severity, options: { ...(r.meta.defaultOptions ?? {}) } }]);
    expect([...states.entries()]).toEqual(expected);
    expect(states.get('cidr-overlap')?.severity).toBe('error');
    expect(states.get('parse-error')?.severity).toBe('error');
  });

  it('the real registry: config and flags set severities of registered rules', async () => {
    const states = await resolveRuleStates(
      RULES.map((r) => r.meta),
      { 'cidr-overlap': 'warn', schema: 0 },
      ['service-export-pairing:1'],
    );
    expect(states.get('cidr-overlap')?.severity).toBe('warn');
    expect(states.has('schema')).toBe(false);
    expect(states.get('service-export-pairing')?.severity).toBe('warn');
    expect(states.get('parse-error')?.severity).toBe('error');
  });

  it('config severities as words, numbers 0/1/2 and [severity, options] override the defaults', async () => {
    expect(
      await resolveFake({
        alpha: 1,
        beta: 'error',
        gamma: 2,
        'naming-convention': ['error', { maxLength: 20 }],
      }),
    ).toEqual([
      ['alpha', { severity: 'warn', options: {} }],
      ['beta', { severity: 'error', options: {} }],
      ['gamma', { severity: 'error', options: {} }],
      ['naming-convention', { severity: 'error', options: { pattern: '^[a-z]+$', maxLength: 20 } }],
    ]);
  });

  it('[severity] alone keeps the default options', async () => {
    expect(await resolveFake({ 'naming-convention': ['error'], alpha: ['warn'] })).toEqual([
      ['alpha', { severity: 'warn', options: {} }],
      ['beta', { severity: 'warn', options: {} }],
      ['naming-convention', { severity: 'error', options: { pattern: '^[a-z]+$', maxLength: 63 } }],
    ]);
  });

  it('off, 0 and [off, options] remove a rule', async () => {
    const states = await resolveFake({ alpha: 'off', beta: 0, 'naming-convention': ['off', { maxLength: 3 }] });
    expect(states.map(([id]) => id)).toEqual([]);
  });

  it('--rule flags override the config, in order', async () => {
    const states = await resolveFake({ alpha: 'warn', beta: 'off', gamma: 'error' }, ['alpha:off', 'beta:warn', 'alpha:error', 'gamma:0', 'beta:2', 'naming-convention:1']);
    expect(states).toEqual([
      ['alpha', { severity: 'error', options: {} }],
      ['beta', { severity: 'error', options: {} }],
      ['naming-convention', { severity: 'warn', options: { pattern: '^[a-z]+$', maxLength: 63 } }],
    ]);
  });

  it('the last --rule flag wins: a final off removes the rule', async () => {
    expect((await resolveFake({}, ['alpha:warn', 'alpha:off'])).map(([id]) => id)).toEqual(['beta', 'naming-convention']);
    expect(await resolveFake({ alpha: 'off' }, ['alpha:off', 'alpha:warn'])).toContainEqual(['alpha', { severity: 'warn', options: {} }]);
  });

  it('a --rule flag changes the severity and keeps the options from the config', async () => {
    expect(await resolveFake({ 'naming-convention': ['warn', { pattern: '^prod-' }] }, ['naming-convention:error'])).toContainEqual([
      'naming-convention',
      { severity: 'error', options: { pattern: '^prod-', maxLength: 63 } },
    ]);
  });

  it('defaultOptions are merged with the config options, and not modified', async () => {
    const metas = fakeMetas();
    const [, naming] = (await resolveFake({ 'naming-convention': ['warn', { pattern: '^x' }] }, [], metas)).find(([id]) => id === 'naming-convention')!;
    expect(naming.options).toEqual({ pattern: '^x', maxLength: 63 });
    expect(metas[3].defaultOptions).toEqual({ pattern: '^[a-z]+$', maxLength: 63 });
    const [, again] = (await resolveFake({}, [], metas)).find(([id]) => id === 'naming-convention')!;
    expect(again.options).toEqual({ pattern: '^[a-z]+$', maxLength: 63 });
  });

  it('an unknown rule id in the config is a ConfigError listing the known rules', async () => {
    const e = await configError(() => resolveFake({ 'naming-conventions': 'error' }));
    expect(e.message).toContain(CONFIG);
    expect(e.message).toContain('unknown rule "naming-conventions"');
    expect(e.message).toContain('alpha, beta, gamma, naming-convention');
  });

  it('an unknown rule id in a --rule flag is a ConfigError listing the known rules', async () => {
    const e = await configError(() => resolveFake({}, ['alpha:warn', 'delta:error']));
    expect(e.message).toContain('--rule');
    expect(e.message).toContain('unknown rule "delta"');
    expect(e.message).toContain('alpha, beta, gamma, naming-convention');
  });

  it('an unknown rule id with the real registry lists every registered rule', async () => {
    const e = await configError(() =>
      resolveRuleStates(
        RULES.map((r) => r.meta),
        { 'cidr-overlaps': 'error' },
        [],
      ),
    );
    expect(e.message).toContain('unknown rule "cidr-overlaps"');
    for (const r of RULES) expect(e.message).toContain(r.meta.id);
  });

  it('lint() rejects an unknown rule in mclint.config.yaml with a ConfigError', async () => {
    const root = writeScenario({ 'mclint.config.yaml': 'rules:\n  no-such-rule: error\n', 'east/a.yaml': 'kind: ConfigMap\n' });
    const e = await configError(() => lint({ dirs: [root] }));
    expect(e.message).toContain('no-such-rule');
  });

  it('options are validated against the rule options JSON Schema', async () => {
    const e = await configError(() => resolveFake({ 'naming-convention': ['error', { maxLength: 0 }] }));
    expect(e.message).toContain(CONFIG);
    expect(e.message).toContain('"naming-convention"');
    expect(e.message).toContain('maxLength');
    await configError(() => resolveFake({ 'naming-convention': ['error', { pattern: 42 }] }));
    await expect(resolveFake({ 'naming-convention': ['error', { pattern: '^p', maxLength: 1 }] })).resolves.toBeDefined();
  });

  it('an unknown option is a ConfigError that names it', async () => {
    const e = await configError(() => resolveFake({ 'naming-convention': ['error', { patern: '^prod-' }] }));
    expect(e.message).toContain('"naming-convention"');
    expect(e.message).toContain('patern');
  });

  it('a rule without an options schema accepts no options', async () => {
    await configError(() => resolveFake({ alpha: ['error', { strict: true }] }));
    await expect(resolveFake({ alpha: ['error', {}] })).resolves.toContainEqual(['alpha', { severity: 'error', options: {} }]);
  });
});

describe('parseRuleFlag', () => {
  it('parses ID:severity with words and numbers', () => {
    expect(parseRuleFlag('cidr-overlap:warn')).toEqual(['cidr-overlap', 'warn']);
    expect(parseRuleFlag('cidr-overlap:error')).toEqual(['cidr-overlap', 'error']);
    expect(parseRuleFlag('cidr-overlap:off')).toEqual(['cidr-overlap', 'off']);
    expect(parseRuleFlag('cidr-overlap:0')).toEqual(['cidr-overlap', 'off']);
    expect(parseRuleFlag('cidr-overlap:1')).toEqual(['cidr-overlap', 'warn']);
    expect(parseRuleFlag('service-export-pairing:2')).toEqual(['service-export-pairing', 'error']);
  });

  it.each(['cidr-overlap', 'cidr-overlap:fatal', 'cidr-overlap:', ':warn', 'cidr-overlap=warn', 'cidr-overlap:warn:extra', 'cidr-overlap:3'])(
    'rejects %j with a ConfigError',
    async (flag) => {
      const e = await configError(() => parseRuleFlag(flag));
      expect(e.message).toContain(`"${flag}"`);
      expect(e.message).toContain('ID:off|warn|error');
    },
  );
});
