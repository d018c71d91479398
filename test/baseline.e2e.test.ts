/**
 * Baselines (ESLint's bulk suppressions, `src/suppress/baseline.ts`), run as users run them: the built
 * binary (`$MCLINT_DIST_DIR/mclint.js`, default dist/) in a repository of its own with
 * `--suppress-all`, `--suppress-rule`, `--prune-suppressions`, `--suppressions-location`,
 * `--pass-on-unpruned-suppressions` and FILE arguments (what the pre-commit hook passes); and the
 * GitHub Action entry point, bundled from the sources as `npm run build:action` does, with its
 * `baseline` input in `INPUT_BASELINE`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAction, runEntryPoint } from './helpers/action.js';
import { yaml } from './helpers/scenario.js';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, process.env.MCLINT_DIST_DIR ?? 'dist', 'mclint.js');

// Made when the file loads: the describe blocks below create their repositories while they are collected.
const work = mkdtempSync(join(tmpdir(), 'mclint-baseline-'));
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

const submariner = (cluster: string, podCIDR: string) => yaml`
  apiVersion: submariner.io/v1alpha1
  kind: Submariner
  metadata: { name: submariner, namespace: submariner-operator }
  spec:
    broker: k8s
    clusterID: ${cluster}
    clusterCIDR: "${podCIDR}"
    serviceCIDR: "172.16.0.0/16"
    brokerK8sApiServer: https://broker.example.com:6443
    brokerK8sRemoteNamespace: submariner-k8s-broker
    ceIPSecDebug: false
    debug: false
    namespace: submariner-operator
    natEnabled: true
`;

const serviceExport = (namespace: string, name: string) => yaml`
  apiVersion: multicluster.x-k8s.io/v1alpha1
  kind: ServiceExport
  metadata: { name: ${name}, namespace: ${namespace} }
`;

const service = (namespace: string, name: string) => yaml`
  apiVersion: v1
  kind: Service
  metadata: { name: ${name}, namespace: ${namespace} }
  spec:
    selector: { app: ${name} }
    ports: [{ port: 80 }]
`;

/**
 * Two clusters with two errors: the clusters' service CIDRs overlap (`cidr-overlap`, a two-cluster
 * finding) and east exports `payments/ledger`, which has no Service (`service-export-pairing`).
 */
const BROKEN: Record<string, string> = {
  'clusters/east/submariner.yaml': submariner('east', '10.0.0.0/16'),
  'clusters/west/submariner.yaml': submariner('west', '10.1.0.0/16'),
  'clusters/east/exports.yaml': serviceExport('payments', 'ledger'),
  'clusters/west/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: payments }\n',
};

let repos = 0;
/** A git repository holding `files`. */
function repo(files: Record<string, string>): string {
  const dir = join(work, `repo-${++repos}`);
  write(dir, files);
  spawnSync('git', ['init', '-q', dir]);
  return dir;
}

function write(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

function mclint(cwd: string, ...args: string[]) {
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonMessage {
  ruleId: string;
  message: string;
  line: number;
  suppressions?: { kind: string; justification: string }[];
}
interface JsonResult {
  filePath: string;
  messages: JsonMessage[];
  suppressedMessages: JsonMessage[];
}

/** `--format json`: `rule@file:line` of the messages reported and of those suppressed, paths relative to `dir`. */
function report(dir: string, ...args: string[]) {
  const r = mclint(dir, '-f', 'json', ...args);
  const results = JSON.parse(r.stdout) as JsonResult[];
  const at = (list: (f: JsonResult) => JsonMessage[]) => results.flatMap((f) => list(f).map((m) => `${m.ruleId}@${f.filePath.slice(dir.length + 1)}:${m.line}`));
  return {
    ...r,
    reported: at((f) => f.messages),
    suppressed: at((f) => f.suppressedMessages),
    kinds: results.flatMap((f) => f.suppressedMessages.flatMap((m) => m.suppressions ?? [])),
    messages: results.flatMap((f) => f.messages.map((m) => m.message)),
  };
}

type Recorded = Record<string, Record<string, { count: number; fingerprints: Record<string, number> }>>;
const recorded = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Recorded;
/** `file › rule: count` of each entry of a suppressions file. */
const entries = (path: string) => Object.entries(recorded(path)).flatMap(([file, rules]) => Object.entries(rules).map(([rule, e]) => `${file} › ${rule}: ${e.count}`));

describe('--suppress-all records the current problems; later runs report only new ones', () => {
  const dir = repo(BROKEN);
  const baseline = join(dir, 'mclint-suppressions.json');

  it('without a baseline: two errors, exit 1', () => {
    const r = report(dir);
    expect(r.reported).toEqual(['service-export-pairing@clusters/east/exports.yaml:3', 'cidr-overlap@clusters/west/submariner.yaml:8']);
    expect(r.status).toBe(1);
  });

  it('--suppress-all writes mclint-suppressions.json in the working directory, counted per file and rule, and exits 0', () => {
    const r = mclint(dir, '--suppress-all');
    expect(r.stderr).toContain('mclint: recorded 2 problems in mclint-suppressions.json.');
    expect(r.status).toBe(0);
    expect(entries(baseline)).toEqual(['clusters/east/exports.yaml › service-export-pairing: 1', 'clusters/west/submariner.yaml › cidr-overlap: 1']);
    for (const rules of Object.values(recorded(baseline))) for (const e of Object.values(rules)) expect(Object.values(e.fingerprints)).toEqual([1]);
  });

  it('a rerun exits 0 and the summary counts the suppressed problems', () => {
    const r = mclint(dir);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('problems (');
    expect(r.stdout).toContain('; 2 problems suppressed by mclint-suppressions.json.');
    expect(r.stdout).not.toContain('suppressed by comments');
  });

  it('--format json lists them in suppressedMessages with ESLint\'s kind "file"', () => {
    const r = report(dir);
    expect(r.status).toBe(0);
    expect(r.reported).toEqual([]);
    expect(r.suppressed).toEqual(['service-export-pairing@clusters/east/exports.yaml:3', 'cidr-overlap@clusters/west/submariner.yaml:8']);
    expect(r.kinds).toEqual([
      { kind: 'file', justification: '' },
      { kind: 'file', justification: '' },
    ]);
    expect(r.stderr).toContain('2 problems suppressed by mclint-suppressions.json');
  });

  it('the suppressions file is not counted as a file outside every cluster', () => {
    expect(mclint(dir).stdout).not.toContain('outside any cluster');
  });
});

describe('matching by fingerprint', () => {
  it('a new problem of the same rule in the same file is reported alone (exit 1); the recorded one stays suppressed', () => {
    const dir = repo(BROKEN);
    expect(mclint(dir, '--suppress-all').status).toBe(0);
    write(dir, { 'clusters/east/exports.yaml': `${BROKEN['clusters/east/exports.yaml']}---\n${serviceExport('billing', 'invoices')}` });
    const r = report(dir);
    expect(r.reported).toEqual(['service-export-pairing@clusters/east/exports.yaml:7']);
    expect(r.messages).toEqual([expect.stringContaining('billing/invoices')]);
    expect(r.suppressed).toEqual(['service-export-pairing@clusters/east/exports.yaml:3', 'cidr-overlap@clusters/west/submariner.yaml:8']);
    expect(r.status).toBe(1);
  });

  it('findings moved down by lines inserted above them stay suppressed', () => {
    const dir = repo(BROKEN);
    expect(mclint(dir, '--suppress-all').status).toBe(0);
    const above = '# Payments\n# owned by the ledger team\n---\napiVersion: v1\nkind: Namespace\nmetadata: { name: payments }\n---\n';
    write(dir, {
      'clusters/east/exports.yaml': above + BROKEN['clusters/east/exports.yaml'],
      'clusters/west/submariner.yaml': '# west\n\n' + BROKEN['clusters/west/submariner.yaml'],
    });
    const r = report(dir);
    expect(r.reported).toEqual([]);
    expect(r.suppressed).toEqual(['service-export-pairing@clusters/east/exports.yaml:10', 'cidr-overlap@clusters/west/submariner.yaml:10']);
    expect(r.status).toBe(0);
  });

  it('a problem that changes (another CIDR) is a new problem', () => {
    const dir = repo(BROKEN);
    expect(mclint(dir, '--suppress-all').status).toBe(0);
    write(dir, { 'clusters/west/submariner.yaml': BROKEN['clusters/west/submariner.yaml'].replace('10.1.0.0/16', '10.0.0.0/16') });
    const r = report(dir, '--pass-on-unpruned-suppressions');
    // The pod CIDRs now overlap too: a new finding; the service CIDR overlap is still the recorded one.
    expect(r.reported.every((f) => f.startsWith('cidr-overlap@'))).toBe(true);
    expect(r.reported.length).toBeGreaterThan(0);
    expect(r.suppressed).toContain('cidr-overlap@clusters/west/submariner.yaml:8');
    expect(r.status).toBe(1);
  });
});

describe('recorded problems that no longer occur', () => {
  const dir = repo(BROKEN);
  const baseline = join(dir, 'mclint-suppressions.json');
  beforeAll(() => {
    expect(mclint(dir, '--suppress-all').status).toBe(0);
    // Fixed: the exported Service now exists.
    write(dir, { 'clusters/east/ledger.yaml': service('payments', 'ledger') });
  });

  it('fail the run with exit 2 after the report, naming them and --prune-suppressions (ESLint)', () => {
    const r = mclint(dir);
    expect(r.stdout).toContain('1 problem suppressed by mclint-suppressions.json');
    expect(r.stderr).toContain('There are suppressions left that do not occur anymore: 1 recorded problem in mclint-suppressions.json no longer found.');
    expect(r.stderr).toContain('clusters/east/exports.yaml: service-export-pairing (1 not found)');
    expect(r.stderr).toContain('--prune-suppressions');
    expect(r.status).toBe(2);
  });

  it('--pass-on-unpruned-suppressions passes', () => {
    expect(mclint(dir, '--pass-on-unpruned-suppressions').status).toBe(0);
  });

  it('--prune-suppressions removes them and keeps the others', () => {
    const r = mclint(dir, '--prune-suppressions');
    expect(r.stderr).toContain('mclint: removed 1 recorded problem that no longer occur from mclint-suppressions.json.');
    expect(r.status).toBe(0);
    expect(entries(baseline)).toEqual(['clusters/west/submariner.yaml › cidr-overlap: 1']);
    expect(mclint(dir).status).toBe(0);
  });

  it('a file deleted below the linted directory is pruned too (ESLint never prunes those)', () => {
    const d = repo(BROKEN);
    expect(mclint(d, '--suppress-all').status).toBe(0);
    rmSync(join(d, 'clusters/east/exports.yaml'));
    expect(mclint(d).status).toBe(2);
    expect(mclint(d, '--prune-suppressions').status).toBe(0);
    expect(entries(join(d, 'mclint-suppressions.json'))).toEqual(['clusters/west/submariner.yaml › cidr-overlap: 1']);
  });

  it('a file that no longer parses keeps its entries (it was not linted)', () => {
    const d = repo(BROKEN);
    expect(mclint(d, '--suppress-all').status).toBe(0);
    write(d, { 'clusters/east/exports.yaml': 'kind: [unclosed\n' });
    const r = report(d);
    expect(r.reported).toEqual(['parse-error@clusters/east/exports.yaml:2']);
    expect(r.status).toBe(1);
  });
});

describe('--suppress-rule', () => {
  it('records only the rules named; the others are still reported', () => {
    const dir = repo(BROKEN);
    const r = mclint(dir, '--suppress-rule', 'cidr-overlap');
    expect(r.stderr).toContain('mclint: recorded 1 problem in mclint-suppressions.json.');
    expect(r.status).toBe(1);
    expect(entries(join(dir, 'mclint-suppressions.json'))).toEqual(['clusters/west/submariner.yaml › cidr-overlap: 1']);
    const again = report(dir);
    expect(again.reported).toEqual(['service-export-pairing@clusters/east/exports.yaml:3']);
    expect(again.suppressed).toEqual(['cidr-overlap@clusters/west/submariner.yaml:8']);
    expect(again.status).toBe(1);
  });

  it('adds to an existing baseline (repeatable flag)', () => {
    const dir = repo(BROKEN);
    expect(mclint(dir, '--suppress-rule', 'cidr-overlap').status).toBe(1);
    expect(mclint(dir, '--suppress-rule', 'service-export-pairing', '--suppress-rule', 'cidr-overlap').status).toBe(0);
    expect(entries(join(dir, 'mclint-suppressions.json'))).toHaveLength(2);
  });
});

describe('--suppressions-location', () => {
  it('records to and reads from another file', () => {
    const dir = repo(BROKEN);
    expect(mclint(dir, '--suppress-all', '--suppressions-location', 'ci/baseline.json').status).toBe(0);
    expect(existsSync(join(dir, 'mclint-suppressions.json'))).toBe(false);
    // The file's paths are relative to its own directory.
    expect(Object.keys(recorded(join(dir, 'ci/baseline.json')))).toEqual(['../clusters/east/exports.yaml', '../clusters/west/submariner.yaml']);
    const r = mclint(dir, '--suppressions-location', 'ci/baseline.json');
    expect(r.stdout).toContain('2 problems suppressed by ci/baseline.json');
    expect(r.status).toBe(0);
    // The default location is not read when another is named, and vice versa.
    expect(mclint(dir).status).toBe(1);
  });

  it('a directory means mclint-suppressions.json in it', () => {
    const dir = repo(BROKEN);
    mkdirSync(join(dir, 'ci'));
    expect(mclint(dir, '--suppress-all', '--suppressions-location', 'ci').status).toBe(0);
    expect(existsSync(join(dir, 'ci/mclint-suppressions.json'))).toBe(true);
  });

  it('a named file that does not exist is an error (exit 2), as in ESLint', () => {
    const r = mclint(repo(BROKEN), '--suppressions-location', 'missing.json');
    expect(r.stderr).toContain('the suppressions file missing.json does not exist; run mclint with --suppress-all or --suppress-rule to create it');
    expect(r.status).toBe(2);
  });
});

describe('usage errors (exit 2)', () => {
  it.each([
    [['--suppress-all', '--suppress-rule', 'cidr-overlap'], 'the --suppress-all option and the --suppress-rule option cannot be used together'],
    [['--suppress-all', '--prune-suppressions'], 'the --suppress-all option and the --prune-suppressions option cannot be used together'],
    [['--suppress-rule', 'cidr-overlap', '--prune-suppressions'], 'the --suppress-rule option and the --prune-suppressions option cannot be used together'],
    [['--suppress-rule', 'cidr-overlaps'], '--suppress-rule: unknown rule "cidr-overlaps"'],
    [['--suppress-all', '--cluster', 'east=-'], 'cannot be used with standard input'],
  ])('%j', (args, message) => {
    const dir = repo(BROKEN);
    const r = mclint(dir, ...args);
    expect(r.stderr).toContain(message);
    expect(r.status).toBe(2);
    expect(existsSync(join(dir, 'mclint-suppressions.json'))).toBe(false);
  });

  it('a malformed suppressions file', () => {
    const dir = repo({ ...BROKEN, 'mclint-suppressions.json': '{"clusters/east/exports.yaml": {"service-export-pairing": {"count": "one"}}}' });
    const r = mclint(dir);
    expect(r.stderr).toContain('not a suppressions file');
    expect(r.status).toBe(2);
  });
});

describe('FILE arguments (the pre-commit hook)', () => {
  const dir = repo(BROKEN);
  beforeAll(() => {
    expect(mclint(dir, '--suppress-all').status).toBe(0);
  });

  it.each([[['clusters/east/exports.yaml']], [['clusters/west/submariner.yaml']], [['clusters/east/submariner.yaml']]])(
    '%j: recorded problems stay suppressed, on either side of a two-cluster finding',
    (files) => {
      const r = report(dir, ...files);
      expect(r.reported).toEqual([]);
      expect(r.status).toBe(0);
    },
  );

  it('entries of files not given are not reported as unused; a new problem in a given file fails the commit', () => {
    write(dir, { 'clusters/west/exports.yaml': serviceExport('shop', 'cart') });
    const r = report(dir, 'clusters/west/exports.yaml');
    expect(r.reported).toEqual(['service-export-pairing@clusters/west/exports.yaml:3']);
    expect(r.stderr).not.toContain('do not occur anymore');
    expect(r.status).toBe(1);
  });
});

describe('--cluster NAME=PATH', () => {
  it('reads the same baseline; entries outside the clusters given are not unused', () => {
    const dir = repo({ ...BROKEN, 'clusters/north/exports.yaml': serviceExport('shop', 'orders') });
    expect(mclint(dir, '--suppress-all').status).toBe(0);
    expect(entries(join(dir, 'mclint-suppressions.json'))).toContain('clusters/north/exports.yaml › service-export-pairing: 1');
    const r = report(dir, '--cluster', 'east=clusters/east', '--cluster', 'west=clusters/west');
    expect(r.reported).toEqual([]);
    expect(r.suppressed).toEqual(['service-export-pairing@clusters/east/exports.yaml:3', 'cidr-overlap@clusters/west/submariner.yaml:8']);
    expect(r.status).toBe(0);
  });
});

describe('ESLint-written counts without fingerprints', () => {
  it('match by file and rule up to the count', () => {
    const dir = repo({ ...BROKEN, 'mclint-suppressions.json': JSON.stringify({ 'clusters/east/exports.yaml': { 'service-export-pairing': { count: 1 } } }) });
    const r = report(dir);
    expect(r.reported).toEqual(['cidr-overlap@clusters/west/submariner.yaml:8']);
    expect(r.suppressed).toEqual(['service-export-pairing@clusters/east/exports.yaml:3']);
  });
});

describe('the GitHub Action: baseline input', () => {
  let checkout: string;
  beforeAll(() => {
    // The Action bundle built from the sources (test/action.test.ts checks the committed one is current).
    checkout = buildAction();
  }, 120_000);

  /** Runs the entry point as the runner does, inputs in `INPUT_*` (action.yml defaults for those not given). */
  const runAction = (workspace: string, inputs: Record<string, string>) => runEntryPoint(checkout, workspace, inputs);

  /** The input names action.yml declares (its `inputs:` keys, two-space indented). */
  function yamlInputs(text: string): string[] {
    const block = text.slice(text.indexOf('\ninputs:\n'), text.indexOf('\noutputs:\n'));
    return [...block.matchAll(/^ {2}([a-z-]+):$/gm)].map((m) => m[1]);
  }

  it('action.yml declares it', () => {
    expect(yamlInputs(readFileSync(join(root, 'action.yml'), 'utf8'))).toContain('baseline');
  });

  it('the file named by baseline suppresses the recorded problems: the step passes and the summary counts them', () => {
    const dir = repo(BROKEN);
    mkdirSync(join(dir, 'ci'));
    expect(mclint(dir, '--suppress-all', '--suppressions-location', 'ci/mclint-baseline.json').status).toBe(0);
    const r = runAction(dir, { baseline: 'ci/mclint-baseline.json' });
    expect(r.stdout).not.toMatch(/^::error/m);
    expect(r.status).toBe(0);
    expect(r.outputs.errors).toBe('0');
    expect(r.summary).toContain('2 problems suppressed by ci/mclint-baseline.json');
    // Without the input, that file is not read.
    expect(runAction(dir, {}).status).toBe(1);
  });

  it('mclint-suppressions.json at the workspace root is read by default; a new problem alone is annotated and fails the step', () => {
    const dir = repo(BROKEN);
    expect(mclint(dir, '--suppress-all').status).toBe(0);
    write(dir, { 'clusters/west/exports.yaml': serviceExport('shop', 'cart') });
    const r = runAction(dir, {});
    const annotations = r.stdout.split('\n').filter((l) => /^::(error|warning) file=/.test(l));
    expect(annotations).toEqual([expect.stringMatching(/^::error file=clusters\/west\/exports\.yaml,line=3,/)]);
    expect(r.outputs.errors).toBe('1');
    expect(r.status).toBe(1);
  });

  it('recorded problems that no longer occur fail the step, asking for --prune-suppressions', () => {
    const dir = repo(BROKEN);
    expect(mclint(dir, '--suppress-all').status).toBe(0);
    write(dir, { 'clusters/east/ledger.yaml': service('payments', 'ledger') });
    const r = runAction(dir, {});
    expect(r.stdout).toMatch(/^::error::There are suppressions left that do not occur anymore.*--prune-suppressions/m);
    expect(r.status).toBe(1);
  });

  it('a baseline that does not exist is a configuration error', () => {
    const r = runAction(repo(BROKEN), { baseline: 'nope.json' });
    expect(r.stdout).toContain('the suppressions file nope.json does not exist');
    expect(r.status).toBe(1);
  });
});
