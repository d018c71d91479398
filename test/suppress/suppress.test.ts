/**
 * The suppress stage through the real pipeline: each case writes a ClusterSet (clusters east and
 * west), lints it, and lists the findings kept and suppressed. ServiceExports without a Service
 * give one `service-export-pairing` error each, on their `metadata.name` line.
 */
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint, type LintOptions } from '../../src/lint.js';
import { writeScenario, yaml, type Files } from '../helpers/scenario.js';

/** A ServiceExport; `name` on line 4 of the document, pushed down by the lines of `before`. */
const exp = (name: string, namespace = 'shop', before = '') =>
  `apiVersion: multicluster.x-k8s.io/v1alpha1\nkind: ServiceExport\nmetadata:\n${before}  name: ${name}\n  namespace: ${namespace}\n`;

interface Case {
  readonly name: string;
  readonly files: Files;
  readonly options?: Partial<LintOptions>;
  /** `file:line rule severity` */
  readonly kept: string[];
  /** `file:line rule kind=justification[; kind=justification]` */
  readonly suppressed?: string[];
}

async function run(c: Case) {
  const root = writeScenario(c.files);
  const result = await lint({ dirs: [root], ...c.options });
  const rel = (f: string) => relative(root, f);
  return {
    result,
    kept: result.findings.map((f) => `${rel(f.file)}:${f.line} ${f.ruleId} ${f.severity}`),
    suppressed: result.suppressed.map((f) => `${rel(f.file)}:${f.line} ${f.ruleId} ${f.suppressions.map((s) => `${s.kind}=${s.justification}`).join('; ')}`),
  };
}

function table(title: string, cases: Case[]) {
  describe(title, () => {
    for (const c of cases) {
      it(c.name, async () => {
        const { kept, suppressed } = await run(c);
        expect(kept).toEqual(c.kept);
        expect(suppressed).toEqual(c.suppressed ?? []);
      });
    }
  });
}

table('comments', [
  {
    name: 'disable-next-line suppresses the next line only, with its reason',
    files: {
      'east/a.yaml': exp('web', 'shop', '  # mclint-disable-next-line service-export-pairing -- the Service is created by the operator\n') + '---\n' + exp('api'),
    },
    kept: ['east/a.yaml:11 service-export-pairing 2'],
    suppressed: ['east/a.yaml:5 service-export-pairing directive=the Service is created by the operator'],
  },
  {
    name: 'disable-line at the end of the offending line',
    files: { 'east/a.yaml': exp('web').replace('  name: web', '  name: web  # mclint-disable-line service-export-pairing') },
    kept: [],
    suppressed: ['east/a.yaml:4 service-export-pairing directive='],
  },
  {
    name: 'disable … enable covers the lines between',
    files: {
      'east/a.yaml': [exp('a'), '# mclint-disable service-export-pairing -- legacy block\n' + exp('b'), '# mclint-enable service-export-pairing\n' + exp('c')].join('---\n'),
    },
    kept: ['east/a.yaml:4 service-export-pairing 2', 'east/a.yaml:18 service-export-pairing 2'],
    suppressed: ['east/a.yaml:11 service-export-pairing directive=legacy block'],
  },
  {
    name: 'disable without a rule list disables every rule to the end of the file; enable of one rule re-enables it',
    files: {
      'east/a.yaml': ['# mclint-disable', exp('a'), '# mclint-enable service-export-pairing', exp('b')].join('\n---\n'),
    },
    kept: ['east/a.yaml:15 service-export-pairing 2'],
    suppressed: ['east/a.yaml:6 service-export-pairing directive='],
  },
  {
    name: 'disable-file anywhere in the file covers all of it',
    files: { 'east/a.yaml': exp('a') + '---\n' + exp('b') + '# mclint-disable-file service-export-pairing -- generated\n', 'west/b.yaml': exp('c') },
    kept: ['west/b.yaml:4 service-export-pairing 2'],
    suppressed: ['east/a.yaml:4 service-export-pairing directive=generated', 'east/a.yaml:10 service-export-pairing directive=generated'],
  },
  {
    name: 'a directive for another rule suppresses nothing',
    files: { 'east/a.yaml': exp('web', 'shop', '  # mclint-disable-next-line cidr-overlap\n') },
    kept: ['east/a.yaml:5 service-export-pairing 2'],
  },
  {
    name: 'an unknown rule id is an error at the comment; the known ids in the list still apply',
    files: { 'east/a.yaml': exp('web', 'shop', '  # mclint-disable-next-line service-export-paring, service-export-pairing\n') },
    kept: ['east/a.yaml:4 invalid-directive 2'],
    suppressed: ['east/a.yaml:5 service-export-pairing directive='],
  },
  {
    name: 'a directive naming only unknown rules does not become "every rule"',
    files: { 'east/a.yaml': exp('web', 'shop', '  # mclint-disable-next-line typo\n') },
    kept: ['east/a.yaml:4 invalid-directive 2', 'east/a.yaml:5 service-export-pairing 2'],
  },
  {
    name: 'parse errors cannot be suppressed by comments (ESLint: fatal errors)',
    files: { 'east/a.yaml': '# mclint-disable-file\na: [1, 2\n' },
    kept: ['east/a.yaml:3 parse-error 2'],
  },
  {
    name: 'several suppressions of one finding are all listed',
    files: { 'east/a.yaml': '# mclint-disable-file -- whole file\n' + exp('web', 'shop', '  # mclint-disable-next-line service-export-pairing -- this one\n') },
    kept: [],
    suppressed: ['east/a.yaml:6 service-export-pairing directive=whole file; directive=this one'],
  },
]);

table('annotations', [
  {
    name: 'mclint.io/ignore suppresses the findings on that object only, with mclint.io/ignore-reason',
    files: {
      'east/a.yaml':
        exp('web', 'shop', '  annotations:\n    mclint.io/ignore: "service-export-pairing,cidr-overlap"\n    mclint.io/ignore-reason: "Service comes from the Helm chart"\n') +
        '---\n' +
        exp('api'),
    },
    kept: ['east/a.yaml:13 service-export-pairing 2'],
    suppressed: ['east/a.yaml:7 service-export-pairing annotation=Service comes from the Helm chart'],
  },
  {
    name: 'an annotation naming another rule suppresses nothing; unknown ids and an empty list are errors',
    files: {
      'east/a.yaml': exp('web', 'shop', '  annotations:\n    mclint.io/ignore: "cidr-overlap, nope"\n'),
      'west/b.yaml': exp('api', 'shop', '  annotations:\n    mclint.io/ignore: ""\n'),
    },
    kept: ['east/a.yaml:5 invalid-directive 2', 'east/a.yaml:6 service-export-pairing 2', 'west/b.yaml:5 invalid-directive 2', 'west/b.yaml:6 service-export-pairing 2'],
  },
  {
    name: 'annotations on objects of kinds mclint does not otherwise keep are seen too',
    files: {
      'east/a.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    mclint.io/ignore: schema\n',
    },
    options: { reportUnusedDisableDirectives: 'warn' },
    kept: ['east/a.yaml:6 unused-disable-directive 1'],
  },
]);

table('--no-inline-config and noInlineConfig', [
  {
    name: '--no-inline-config ignores comments and annotations',
    files: {
      'east/a.yaml': exp('web', 'shop', '  # mclint-disable-next-line service-export-pairing\n  annotations:\n    mclint.io/ignore: nope\n'),
    },
    options: { inlineConfig: false, reportUnusedDisableDirectives: 'error' },
    kept: ['east/a.yaml:7 service-export-pairing 2'],
  },
  {
    name: 'a config file with noInlineConfig forbids inline suppressions',
    files: {
      'mclint.config.yaml': 'noInlineConfig: true\n',
      'east/a.yaml': exp('web', 'shop', '  # mclint-disable-next-line service-export-pairing\n'),
    },
    kept: ['east/a.yaml:5 service-export-pairing 2'],
  },
]);

table('unused directives', [
  {
    name: '--report-unused-disable-directives reports, per rule, what suppressed nothing (warnings by default)',
    files: {
      'east/a.yaml':
        ['# mclint-disable-next-line service-export-pairing, cidr-overlap', exp('a').trimEnd(), '# mclint-enable schema', '# mclint-disable', '# mclint-enable'].join('\n') + '\n',
      'west/b.yaml': exp('b', 'shop', '  annotations:\n    mclint.io/ignore: service-export-pairing, schema\n'),
    },
    options: { reportUnusedDisableDirectives: 'warn' },
    kept: [
      'east/a.yaml:1 unused-disable-directive 1',
      'east/a.yaml:1 unused-disable-directive 1',
      'east/a.yaml:5 service-export-pairing 2',
      'east/a.yaml:7 unused-disable-directive 1',
      'east/a.yaml:8 unused-disable-directive 1',
      'west/b.yaml:5 unused-disable-directive 1',
    ],
    suppressed: ['west/b.yaml:6 service-export-pairing annotation='],
  },
  {
    name: 'the config file can ask for unused directives as errors',
    files: {
      'mclint.config.yaml': 'reportUnusedDisableDirectives: error\n',
      'east/a.yaml': '# mclint-disable-file schema\n' + exp('a'),
    },
    kept: ['east/a.yaml:1 unused-disable-directive 2', 'east/a.yaml:5 service-export-pairing 2'],
  },
  {
    name: 'off by default',
    files: { 'east/a.yaml': '# mclint-disable-file schema\n' + exp('a') },
    kept: ['east/a.yaml:5 service-export-pairing 2'],
  },
]);

const overrides = (text: string) => ({ 'mclint.config.yaml': yaml([text] as unknown as TemplateStringsArray) });

table('config overrides', [
  {
    name: 'off for a file glob: suppressed with the reason as justification',
    files: {
      ...overrides(`
        overrides:
          - files: ['east/legacy/**']
            rules: { service-export-pairing: off }
            reason: legacy apps move in Q3
      `),
      'east/legacy/a.yaml': exp('a'),
      'east/b.yaml': exp('b'),
    },
    kept: ['east/b.yaml:4 service-export-pairing 2'],
    suppressed: ['east/legacy/a.yaml:4 service-export-pairing config=legacy apps move in Q3'],
  },
  {
    name: 'by cluster, namespace and kind (globs; every selector must match; later entries win)',
    files: {
      ...overrides(`
        overrides:
          - clusters: ['we*']
            namespaces: [shop]
            kinds: [ServiceExport]
            rules: { service-export-pairing: warn }
          - clusters: [west]
            namespaces: [tmp-*]
            rules: { service-export-pairing: off }
      `),
      'east/a.yaml': exp('a'),
      'west/b.yaml': exp('b') + '---\n' + exp('c', 'billing') + '---\n' + exp('d', 'tmp-1'),
    },
    kept: ['east/a.yaml:4 service-export-pairing 2', 'west/b.yaml:4 service-export-pairing 1', 'west/b.yaml:10 service-export-pairing 2'],
    suppressed: ['west/b.yaml:16 service-export-pairing config='],
  },
  {
    name: 'a rule off in rules runs where an override turns it on, and nowhere else',
    files: {
      ...overrides(`
        rules: { service-export-pairing: off }
        overrides:
          - clusters: [east]
            rules: { service-export-pairing: warn }
      `),
      'east/a.yaml': exp('a'),
      'west/b.yaml': exp('b'),
    },
    kept: ['east/a.yaml:4 service-export-pairing 1'],
  },
  {
    name: '--rule flags win over overrides',
    files: {
      ...overrides(`
        overrides:
          - rules: { service-export-pairing: off }
      `),
      'east/a.yaml': exp('a'),
    },
    options: { ruleFlags: ['service-export-pairing:warn'] },
    kept: ['east/a.yaml:4 service-export-pairing 1'],
  },
]);

describe('config overrides, errors', () => {
  it('an unknown rule id in overrides is a config error', async () => {
    const root = writeScenario({
      ...overrides(`
      overrides:
        - files: ['**']
          rules: { no-such-rule: off }
    `),
      'east/a.yaml': exp('a'),
    });
    await expect(lint({ dirs: [root] })).rejects.toThrow(/overrides\[0\]: unknown rule "no-such-rule"/);
  });

  it('the schema rejects an override without rules or with options', async () => {
    for (const text of ['overrides:\n  - files: [x]\n', 'overrides:\n  - rules: { schema: [error, {}] }\n']) {
      const root = writeScenario({ 'mclint.config.yaml': text, 'east/a.yaml': exp('a') });
      await expect(lint({ dirs: [root] })).rejects.toThrow(/is not a valid mclint config/);
    }
  });

  it('suppressions point at the override entry in the config file', async () => {
    const { result } = await run({
      name: '',
      files: {
        ...overrides(`
        clusterDomain: cluster.local
        overrides:
          - rules: { service-export-pairing: off }
      `),
        'east/a.yaml': exp('a'),
      },
      kept: [],
    });
    expect(result.suppressed[0].suppressions[0]).toMatchObject({ kind: 'config', at: { line: 3, column: 5 } });
    expect(result.suppressed[0].suppressions[0].at!.file.endsWith('mclint.config.yaml')).toBe(true);
  });
});

describe('info-level notes', () => {
  const broker = 'apiVersion: submariner.io/v1alpha1\nkind: Broker\nmetadata: {name: b, namespace: submariner-k8s-broker}\nspec:\n  globalnetEnabled: true\n';
  const sub = (id: string, globalCIDR: string, before = '') =>
    `apiVersion: submariner.io/v1alpha1\nkind: Submariner\nmetadata: {name: submariner, namespace: submariner-operator}\n${before}spec:\n  clusterID: ${id}\n  clusterCIDR: 10.1.0.0/16\n  serviceCIDR: 10.96.0.0/16\n${globalCIDR}  broker: k8s\n  brokerK8sApiServer: https://b:6443\n  brokerK8sRemoteNamespace: x\n  ceIPSecDebug: false\n  debug: false\n  namespace: submariner-operator\n  natEnabled: false\n`;
  const files = (before: string) => ({ 'broker/broker.yaml': broker, 'east/sub.yaml': sub('east', '  globalCIDR: 242.0.0.0/16\n'), 'west/sub.yaml': sub('west', '', before) });

  it('a directive silences a note and counts as used; without it the note stays', async () => {
    const silenced = await run({
      name: '',
      files: files('# mclint-disable-next-line globalnet-allocation -- planned\n'),
      options: { reportUnusedDisableDirectives: 'error' },
      kept: [],
    });
    expect(silenced.kept).toEqual([]);
    expect(silenced.result.notes).toEqual([]);
    const shown = await run({ name: '', files: files(''), kept: [] });
    expect(shown.result.notes.map((n) => [n.ruleId, n.line, n.message.slice(0, 48)])).toEqual([['globalnet-allocation', 4, 'Cluster "west" has no globalCIDR: subctl join wi']]);
  });
});
