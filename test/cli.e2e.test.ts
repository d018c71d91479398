/**
 * End-to-end: spawns the built binary (dist/mclint.js, built by `npm test` before vitest runs)
 * on the fixtures and checks output and exit codes, as a user or CI would see them.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeScenario, yaml } from './helpers/scenario.js';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, process.env.MCLINT_DIST_DIR ?? 'dist', 'mclint.js');
const fixture = (name: string) => join('fixtures', name);
const STORY = fixture('submariner-clusterset');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from the repository root with a clean color environment. */
function mclint(args: string[], env: Record<string, string> = {}, cwd = root): Run {
  const base = { ...process.env };
  delete base.FORCE_COLOR;
  delete base.NO_COLOR;
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, env: { ...base, ...env }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonResult {
  filePath: string;
  messages: {
    ruleId: string;
    severity: number;
    message: string;
    hint?: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    cluster?: string;
    related: { filePath: string; line: number; column: number; cluster?: string }[];
    fatal?: boolean;
  }[];
  suppressedMessages: unknown[];
  errorCount: number;
  warningCount: number;
  fatalErrorCount: number;
}

const json = (r: Run) => JSON.parse(r.stdout) as JsonResult[];
const messages = (results: JsonResult[]) => results.flatMap((f) => f.messages.map((m) => ({ ...m, filePath: f.filePath })));

beforeAll(() => {
  if (!existsSync(bin)) throw new Error('dist/mclint.js is missing: run `npm run build` (npm test does it)');
});

describe('quick start: the Submariner ClusterSet from the design articles', () => {
  it('prints every defect in ESLint stylish layout and exits 1', () => {
    const r = mclint([STORY]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    const out = r.stdout;
    expect(out).toContain(
      'fixtures/submariner-clusterset/cluster-c/submariner/submariner.yaml\n  9:16  error  Service CIDR 172.16.0.0/16 of cluster "cluster-c" overlaps service CIDR 172.16.0.0/16 of cluster "cluster-a"',
    );
    expect(out).toMatch(/ {2}↳ cluster-a: fixtures\/submariner-clusterset\/cluster-a\/submariner\/submariner\.yaml:9:16 {2}service CIDR/);
    expect(out).toMatch(
      /cluster-b\/apps\/ledger\.yaml\n {2}16:9 {2}error {2}ServiceExport "payments\/ledger" has no Service "ledger" in cluster "cluster-b".*service-export-pairing\n/,
    );
    expect(out).toMatch(/cluster-c\/apps\/billing\.yaml\n {2}13:9 {2}error {2}ServiceExport "billing\/legacy-db" exports a Service of type ExternalName/);
    expect(out).toMatch(/cluster-a\/apps\/status\.yaml\n {2}18:14 {2}warning {2}ServiceExport "default\/status" exports from namespace "default"/);
    expect(out).toContain('✖ 4 problems (3 errors, 1 warning)');
    // cluster-b is a kustomization: rendered, its kustomization.yaml is not a document of its own.
    expect(out).toContain('Read 3 clusters in 1 ClusterSet: 11 files, 17 documents (1 not Kubernetes object: 1 values/config); skipped 1 file (1 unrendered Helm template)');
    expect(out).toContain(
      'rendered 1 kustomization with kubectl; 1 Helm chart not rendered: no helm on PATH, its templates skipped.\nClusters: cluster-a (folder, 4 files), cluster-b (folder, 4 files), cluster-c (folder, 4 files).',
    );
    expect(out).not.toContain('\x1b[');
  });

  it('--format json is ESLint JSON plus cluster and related', () => {
    const r = mclint([STORY, '--format', 'json']);
    expect(r.status).toBe(1);
    const results = json(r);
    expect(results).toHaveLength(11);
    expect(results.map((f) => f.filePath)).toEqual([...results.map((f) => f.filePath)].sort());
    for (const f of results) {
      expect(f.filePath.startsWith(join(root, STORY))).toBe(true);
      expect(f.suppressedMessages).toEqual([]);
      expect(f.errorCount).toBe(f.messages.filter((m) => m.severity === 2).length);
      expect(f.warningCount).toBe(f.messages.filter((m) => m.severity === 1).length);
    }
    const overlap = messages(results).find((m) => m.ruleId === 'cidr-overlap')!;
    expect(overlap).toMatchObject({
      severity: 2,
      line: 9,
      column: 16,
      endLine: 9,
      endColumn: 31,
      cluster: 'cluster-c',
      related: [{ filePath: join(root, STORY, 'cluster-a/submariner/submariner.yaml'), line: 9, column: 16, endLine: 9, endColumn: 31, cluster: 'cluster-a' }],
    });
    expect(
      messages(results)
        .map((m) => m.ruleId)
        .sort(),
    ).toEqual(['cidr-overlap', 'service-export-pairing', 'service-export-pairing', 'service-export-pairing']);
    expect(r.stderr).toContain('Read 3 clusters in 1 ClusterSet');
  });

  it('--output-file writes the report instead of standard output', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mclint-out-'));
    try {
      const out = join(dir, 'nested', 'report.json');
      const r = mclint([STORY, '-f', 'json', '-o', out]);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(JSON.parse(readFileSync(out, 'utf8'))).toHaveLength(11);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--quiet reports errors only', () => {
    const r = mclint([STORY, '--quiet']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('✖ 3 problems (3 errors, 0 warnings)');
    expect(r.stdout).not.toMatch(/^ +\d+:\d+ +warning/m);
  });

  it('--rule changes severities and turns rules off', () => {
    const r = mclint([STORY, '--rule', 'cidr-overlap:off', '--rule', 'service-export-pairing:warn', '-f', 'json']);
    expect(r.status).toBe(0);
    const all = messages(json(r));
    expect(all).toHaveLength(3);
    expect(all.every((m) => m.severity === 1 && m.ruleId === 'service-export-pairing')).toBe(true);
  });

  it('--max-warnings turns too many warnings into exit 1', () => {
    const args = [STORY, '--rule', 'cidr-overlap:off', '--rule', 'service-export-pairing:warn'];
    expect(mclint([...args, '--max-warnings', '3']).status).toBe(0);
    const r = mclint([...args, '--max-warnings', '2']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('mclint found too many warnings (maximum: 2).');
    // -1 means no limit, as in ESLint, written with a space too.
    expect(mclint([...args, '--max-warnings', '-1']).status).toBe(0);
  });

  it('output is byte-identical across runs and file-system creation orders', () => {
    const first = mclint([STORY, '-f', 'json']).stdout;
    expect(mclint([STORY, '-f', 'json']).stdout).toBe(first);
    // Recreate the fixture with files created in reverse order.
    const copy = mkdtempSync(join(tmpdir(), 'mclint-order-'));
    try {
      const files: string[] = [];
      const walk = (d: string) => {
        for (const e of readdirSync(d)) {
          if (statSync(join(d, e)).isDirectory()) walk(join(d, e));
          else files.push(join(d, e));
        }
      };
      walk(join(root, STORY));
      for (const f of files.reverse()) cpSync(f, join(copy, f.slice(join(root, STORY).length)));
      const a = mclint(['.', '-f', 'json'], {}, join(root, STORY)).stdout;
      const b = mclint(['.', '-f', 'json'], {}, copy).stdout.split(copy).join(join(root, STORY));
      expect(b).toBe(a);
      const stylishA = mclint(['.'], {}, join(root, STORY)).stdout;
      expect(mclint(['.'], {}, copy).stdout).toBe(stylishA);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('other fixtures', () => {
  it('a GlobalNet ClusterSet with identical CIDRs is clean: exit 0', () => {
    const r = mclint([fixture('globalnet-clean')]);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('problem');
    expect(r.stdout).toContain('Read 2 clusters in 1 ClusterSet: 5 files, 7 documents.');
  });

  it('a config file with two ClusterSets compares clusters of one set only', () => {
    const r = mclint([fixture('config-clustersets'), '-f', 'json']);
    expect(r.status).toBe(1);
    const all = messages(json(r));
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ ruleId: 'cidr-overlap', line: 7, column: 16, cluster: 'prod-west', filePath: join(root, 'fixtures/config-clustersets/mclint.config.yaml') });
    expect(all[0].message).toContain('cluster "prod-east"');
    // The broken draft is excluded by the config's ignore glob.
    expect(json(r).some((f) => f.filePath.includes('drafts'))).toBe(false);
    expect(r.stderr).toContain('Read 3 clusters in 2 ClusterSets');
  });

  it('bad input never crashes: findings and counted skips, healthy files still linted', () => {
    const r = mclint([fixture('bad-input'), '-f', 'json', '--verbose']);
    expect(r.status).toBe(1);
    const all = messages(json(r));
    const at = (file: string) => all.filter((m) => m.filePath.endsWith(file)).map((m) => `${m.ruleId}@${m.line}:${m.column}`);
    expect(at('malformed.yaml')).toEqual(['parse-error@7:3']);
    expect(at('duplicate-keys.yaml')).toEqual(['parse-error@6:3']);
    expect(at('alias-bomb.yaml')).toEqual(['parse-error@1:1']);
    expect(at('deep.yaml')).toHaveLength(1);
    expect(at('list.yaml')).toEqual(['schema@8:5', 'schema@9:5']);
    expect(at('wrong-types.yaml')).toEqual(['schema@3:11', 'schema@8:9']);
    expect(at('bad-cidr.yaml')).toEqual(['schema@8:16']);
    expect(at('cluster-b/orders.yaml')).toEqual(['service-export-pairing@4:9']);
    expect(at('scalar.yaml')).toEqual([]);
    expect(all.filter((m) => m.ruleId === 'parse-error').every((m) => m.fatal)).toBe(true);
    expect(json(r).find((f) => f.filePath.endsWith('malformed.yaml'))!.fatalErrorCount).toBe(1);
    expect(r.stderr).toContain('skipped 2 files (1 binary file, 1 unrendered Helm template)');
    expect(r.stderr).toContain('skipped fixtures/bad-input/cluster-a/binary.yaml: binary file');
    expect(r.stderr).not.toContain('internal error');
  });

  it('--cluster NAME=PATH lints explicit clusters', () => {
    const r = mclint(['--cluster', `east=${STORY}/cluster-a`, '--cluster', `west=${STORY}/cluster-c`, '-f', 'json']);
    expect(r.status).toBe(1);
    const overlap = messages(json(r)).filter((m) => m.ruleId === 'cidr-overlap');
    expect(overlap).toHaveLength(1);
    expect(overlap[0].cluster).toBe('west');
    expect(overlap[0].message).toContain('cluster "east"');
  });

  it('lints the current directory when no DIR is given', () => {
    const r = mclint(['-f', 'json'], {}, join(root, fixture('globalnet-clean')));
    expect(r.status).toBe(0);
    expect(json(r)).toHaveLength(5);
  });
});

describe('robustness of the command line', () => {
  it('the same directory given twice is linted once', () => {
    const once = json(mclint([STORY, '-f', 'json']));
    const twice = mclint([STORY, `./${STORY}`, '-f', 'json']);
    expect(json(twice)).toEqual(once);
    expect(twice.stderr).toContain('Read 3 clusters in 1 ClusterSet');
  });

  it('a reader that stops early (| head) is not a crash', () => {
    const exports = Object.fromEntries(
      Array.from({ length: 400 }, (_, i) => [`east/e${i}.yaml`, `apiVersion: multicluster.x-k8s.io/v1alpha1\nkind: ServiceExport\nmetadata: {name: svc-${i}, namespace: shop}\n`]),
    );
    const dir = writeScenario(exports);
    const r = spawnSync('sh', ['-c', `node "${bin}" "${dir}" | head -c 100 > /dev/null; echo "status=\${PIPESTATUS:-}"`], { encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/Error|EPIPE|\n\s+at /);
  });
});

describe('colors', () => {
  const red = '\x1b[31m';
  it('are off when piped, on with FORCE_COLOR or --color, off with NO_COLOR or --no-color', () => {
    expect(mclint([STORY]).stdout).not.toContain(red);
    expect(mclint([STORY], { FORCE_COLOR: '1' }).stdout).toContain(red);
    expect(mclint([STORY, '--color']).stdout).toContain(red);
    expect(mclint([STORY, '--color'], { NO_COLOR: '1' }).stdout).toContain(red);
    expect(mclint([STORY], { NO_COLOR: '1' }).stdout).not.toContain(red);
    expect(mclint([STORY, '--no-color'], { FORCE_COLOR: '3' }).stdout).not.toContain(red);
    expect(mclint([STORY], { FORCE_COLOR: '0' }).stdout).not.toContain(red);
  });
});

describe('usage, config and informational exits', () => {
  it('--version, --help and --list-rules exit 0', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(mclint(['--version'])).toMatchObject({ status: 0, stdout: `${pkg.version}\n` });
    const help = mclint(['--help']);
    expect(help.status).toBe(0);
    for (const flag of ['--cluster', '--config', '--format', '--output-file', '--max-warnings', '--quiet', '--rule', '--color', '--list-rules'])
      expect(help.stdout).toContain(flag);
    const list = mclint(['--list-rules']);
    expect(list.status).toBe(0);
    for (const id of ['parse-error', 'schema', 'cidr-overlap', 'service-export-pairing']) expect(list.stdout).toMatch(new RegExp(`^${id} +error +\\S`, 'm'));
  });

  it('--list-rules is a table: rule, default severity, description, docs page (which exists)', () => {
    const lines = mclint(['--list-rules']).stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^rule +default +description +docs$/);
    expect(lines[1]).toMatch(/^-+ +-+ +-+ +-+$/);
    // Columns line up: every row starts its cells where the header does.
    const starts = [...lines[0].matchAll(/\S+/g)].map((m) => m.index);
    for (const row of lines.slice(2)) {
      const [id, severity] = row.split(/ +/);
      expect(row.indexOf(severity, id.length)).toBe(starts[1]);
      const docs = row.slice(starts[3]);
      expect(docs).toMatch(new RegExp(`^https://\\S+/docs/rules/${id}\\.md$`));
      expect(existsSync(join(root, 'docs', 'rules', `${id}.md`))).toBe(true);
    }
    expect(lines.length - 2).toBeGreaterThanOrEqual(4);
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--format', 'xml', STORY], /unknown format "xml"/],
    [['--max-warnings', 'many', STORY], /--max-warnings expects a whole number/],
    [['--max-warnings', '', STORY], /--max-warnings expects a whole number/],
    [['--max-warnings', '1e1', STORY], /--max-warnings expects a whole number/],
    [['--rule', 'cidr-overlap', STORY], /invalid --rule "cidr-overlap"/],
    [['--rule', 'no-such-rule:error', STORY], /unknown rule "no-such-rule"/],
    [['fixtures/does-not-exist'], /does-not-exist: no such file or directory/],
    [['--cluster', 'east', STORY], /invalid --cluster "east"/],
    [[STORY, '--cluster', 'east=fixtures'], /either DIR arguments or --cluster[\s\S]*Run "mclint --help"/],
    [['--config', 'fixtures/nope.yaml', STORY], /cannot read config file fixtures\/nope\.yaml/],
  ])('%j exits 2 with a clear message', (args, message) => {
    const r = mclint(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an invalid config file exits 2 with positions', () => {
    const dir = writeScenario({
      'mclint.config.yaml': yaml`
        clusters:
          - name: east
            podCIDRs: [10.0.0.300/33]
        rules:
          cidr-overlap: fatal
        colour: true
      `,
      'east/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    });
    const r = mclint([dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is not a valid mclint config');
    // In file order, each at its field (the key, for an unknown field).
    expect(r.stderr).toMatch(
      /\n {2}3:16 {2}"clusters\[0\]\.podCIDRs\[0\]" must be a CIDR, found string "10\.0\.0\.300\/33"\n {2}5:17 {2}"rules\.cidr-overlap" must be one of "off", "warn", "error", 0, 1, 2, "warning", found string "fatal"\n {2}6:1 {2}unknown field "colour"\n/,
    );
  });

  it('config rules apply: severities and unknown rules', () => {
    const ok = writeScenario({
      'mclint.config.yaml': 'rules:\n  service-export-pairing: [warn]\n',
      'east/export.yaml': 'apiVersion: multicluster.x-k8s.io/v1alpha1\nkind: ServiceExport\nmetadata: {name: web, namespace: shop}\n',
    });
    const r = mclint([ok, '-f', 'json']);
    expect(r.status).toBe(0);
    expect(messages(json(r)).map((m) => m.severity)).toEqual([1]);
    const bad = writeScenario({ 'mclint.config.yaml': 'rules:\n  no-such-rule: error\n', 'east/a.yaml': '' });
    expect(mclint([bad])).toMatchObject({ status: 2, stderr: expect.stringContaining('unknown rule "no-such-rule"') });
  });

  it('rule options are validated against the rule options schema (lazily loaded ajv)', () => {
    const manifests = { 'east/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' };
    const ok = writeScenario({ ...manifests, 'mclint.config.yaml': 'rules:\n  cidr-overlap: [error, {}]\n' });
    expect(mclint([ok]).status).toBe(0);
    const bad = writeScenario({ ...manifests, 'mclint.config.yaml': 'rules:\n  cidr-overlap: [error, {maxPrefix: 8}]\n' });
    const r = mclint([bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('invalid options for rule "cidr-overlap": unknown field "maxPrefix"');
  });
});

afterAll(() => undefined);

describe('networking fixtures', () => {
  const findings = (name: string) => {
    const r = mclint([fixture(name), '--format', 'json']);
    return { status: r.status, list: messages(json(r)).map((m) => `${m.filePath.slice(root.length + 1)}:${m.line}:${m.column} ${m.ruleId} ${m.severity}`) };
  };

  it('two dual-stack kind clusters with default networking overlap in IPv4 and IPv6: notes, since nothing says how they connect', () => {
    const r = mclint([fixture('kind-dual-stack'), '--format', 'json']);
    expect(r.status).toBe(0);
    expect(messages(json(r))).toEqual([]);
    const list = (json(r) as unknown as { filePath: string; notes?: ReturnType<typeof messages> }[]).flatMap((f) => (f.notes ?? []).map((n) => ({ ...n, filePath: f.filePath })));
    expect(list.map((m) => [m.ruleId, m.line, m.column, m.cluster])).toEqual([
      ['cidr-overlap', 4, 1, 'west'],
      ['cidr-overlap', 4, 1, 'west'],
    ]);
    expect(list.map((m) => m.message.split(' of cluster')[0])).toEqual(['Pod CIDR 10.244.0.0/16', 'Pod CIDR fd00:10:244::/56']);
    expect(list[0].related[0]).toMatchObject({ filePath: join(root, 'fixtures/kind-dual-stack/east/kind.yaml'), line: 4, column: 1, cluster: 'east' });
  });

  it('two default Cilium installs: the cluster-pool default overlaps and the cluster.id repeats', () => {
    expect(findings('cilium-mesh-defaults')).toEqual({
      status: 1,
      list: ['fixtures/cilium-mesh-defaults/west/cilium-values.yaml:1:1 cidr-overlap 2', 'fixtures/cilium-mesh-defaults/west/cilium-values.yaml:3:7 cluster-identity 2'],
    });
  });

  it('a broken GlobalNet set: overlap (its block size is not noted as well), exhausted range; the allocation for c is a note', () => {
    const r = mclint([fixture('globalnet-broken'), '--format', 'json']);
    expect(findings('globalnet-broken')).toEqual({
      status: 1,
      list: ['fixtures/globalnet-broken/b/submariner.yaml:10:15 globalnet-allocation 2', 'fixtures/globalnet-broken/d/submariner.yaml:6:1 globalnet-allocation 2'],
    });
    const notes = json(r).flatMap((f) => ((f as unknown as { notes?: { message: string; line: number }[] }).notes ?? []).map((n) => n.message));
    expect(notes).toEqual(['Cluster "c" has no globalCIDR: subctl join will allocate 242.1.0.0/16, the first free block of 65536 addresses in 242.0.0.0/15.']);
    expect(mclint([fixture('globalnet-broken')]).stdout).toMatch(/c\/submariner\.yaml\n {2}6:1 {2}note {2}Cluster "c" has no globalCIDR/);
  });

  it('a clean GlobalNet set stays clean with every networking rule on', () => {
    const r = mclint([fixture('globalnet-clean'), '--rule', 'naming-convention:off']);
    expect(r.status).toBe(0);
  });
});

describe('notes in the github format', () => {
  it('annotates info-level notes as ::notice after the errors and warnings', () => {
    const r = mclint([fixture('globalnet-broken'), '--format', 'github']);
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines.map((l) => l.slice(0, l.indexOf(' ')))).toEqual(['::error', '::error', '::notice']);
    expect(lines[2]).toMatch(
      /^::notice file=fixtures\/globalnet-broken\/c\/submariner\.yaml,line=6,col=1,.*title=globalnet-allocation::Cluster "c" has no globalCIDR: subctl join will allocate 242\.1\.0\.0\/16/,
    );
  });
});

describe('Multi-Cluster Services fixture', () => {
  it("predicts the MCS controllers' conditions across clusters and exits 1", () => {
    const r = mclint([fixture('mcs-clusterset'), '--format', 'json']);
    expect(r.status).toBe(1);
    const all = messages(json(r)).map((m) => ({ ...m, filePath: m.filePath.slice(join(root, 'fixtures', 'mcs-clusterset').length + 1) }));
    expect(all.map((m) => `${m.filePath}:${m.line}:${m.column} ${m.ruleId} ${m.severity}`)).toEqual([
      'east/cart.yaml:11:7 serviceimport-port-conflict 1',
      'east/route.yaml:17:69 serviceimport-dangling 2',
      'west/cart.yaml:9:20 serviceexport-conflict 2',
      'west/cart.yaml:11:7 serviceimport-port-conflict 2',
      'west/cart.yaml:12:7 serviceimport-port-conflict 1',
      'west/web.yaml:7:33 linkerd-mirror 2',
    ]);
    const port = all.find((m) => m.ruleId === 'serviceimport-port-conflict' && m.severity === 2)!;
    expect(port.message).toContain('is 8081/TCP in cluster "west" but 8080/TCP in cluster "east".');
    expect(port.hint).toContain('Cluster "east", whose ServiceExport is the oldest (creationTimestamp 2024-03-01T09:00:00Z), wins');
    expect(port.hint).toContain('The resulting ServiceImport ports: [http 8080/TCP, https 8443/TCP, pop3 110/UDP (appProtocol smtp)].');
    expect(port.related).toMatchObject([{ filePath: join(root, 'fixtures', 'mcs-clusterset', 'east', 'cart.yaml'), line: 10, column: 7, cluster: 'east' }]);
    expect(all.find((m) => m.ruleId === 'serviceimport-dangling')!.message).toContain('references ServiceImport "shop/checkout" (rules[1].backendRefs[0])');
  });
});

describe('--quiet', () => {
  it('leaves out warnings and info-level notes, keeps errors and the exit code', () => {
    const r = mclint([fixture('globalnet-broken'), '--quiet', '--format', 'json']);
    expect(r.status).toBe(1);
    const results = json(r);
    expect(messages(results).map((m) => m.severity)).toEqual([2, 2]);
    expect(results.some((f) => (f as unknown as { notes?: unknown[] }).notes)).toBe(false);
  });
});

describe('--concurrency (parse worker threads)', () => {
  /** 3 clusters × 340 files, with port conflicts and every kind of bad input among them. */
  function bigScenario(): string {
    const files: Record<string, string> = {};
    for (const c of ['east', 'west', 'north']) {
      for (let i = 0; i < 340; i++) {
        const port = c === 'north' && i % 50 === 0 ? 81 : 80;
        files[`${c}/apps/app-${String(i).padStart(3, '0')}.yaml`] = yaml`
          apiVersion: v1
          kind: Service
          metadata: {name: app-${i}, namespace: team-${i % 7}}
          spec:
            selector: {app: app-${i}}
            ports: [{name: http, port: ${port}, protocol: TCP}]
          ---
          apiVersion: multicluster.x-k8s.io/v1alpha1
          kind: ServiceExport
          metadata: {name: app-${i}, namespace: team-${i % 7}}
        `;
      }
    }
    const dir = writeScenario(files);
    cpSync(join(root, 'fixtures', 'bad-input', 'cluster-a'), join(dir, 'east', 'bad'), { recursive: true });
    return dir;
  }

  it('gives byte-identical output with any number of workers, over many batches and bad input', () => {
    const dir = bigScenario();
    const off = mclint([dir, '-f', 'json', '--concurrency', 'off']);
    expect(off.status).toBe(1);
    const found = messages(json(off));
    expect(found.filter((m) => m.ruleId === 'serviceimport-port-conflict').length).toBeGreaterThan(0);
    expect(found.filter((m) => m.ruleId === 'parse-error').length).toBeGreaterThan(0);
    for (const n of ['1', '2', '3', 'auto']) {
      const r = mclint([dir, '-f', 'json', '--concurrency', n]);
      expect(r.stderr, `--concurrency ${n}`).toBe(off.stderr);
      expect(r.status, `--concurrency ${n}`).toBe(off.status);
      expect(r.stdout, `--concurrency ${n}`).toBe(off.stdout);
    }
  });

  it('rejects values that are not a thread count, auto or off', () => {
    for (const bad of ['many', '65', '1.5']) {
      const r = mclint([fixture('globalnet-clean'), '--concurrency', bad]);
      expect(r.status, bad).toBe(2);
      expect(r.stderr).toContain(`--concurrency expects a number of threads (0 to 64), auto or off, got "${bad}"`);
    }
    expect(mclint([fixture('globalnet-clean'), '--concurrency', '-1']).status).toBe(2);
    expect(mclint([fixture('globalnet-clean'), '--concurrency', '0']).status).toBe(0);
  });
});
