/**
 * The pieces of the issue-15 formats that the end-to-end test (test/formats-15.e2e.test.ts) cannot
 * reach with real manifests: fingerprints of findings that differ only in position or order, and the
 * escaping of text that XML 1.0 or SARIF's embedded links cannot carry raw.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import type { RunStats } from '../../src/lint.js';
import type { Finding } from '../../src/engine/types.js';
import { formatCompact } from '../../src/report/compact.js';
import { fingerprints, maskPaths, maskPositions } from '../../src/report/fingerprint.js';
import { formatGitlab } from '../../src/report/gitlab.js';
import { formatJunit, xmlEscape } from '../../src/report/junit.js';
import { escapeLinkText } from '../../src/report/sarif.js';
import type { ReportInput } from '../../src/report/types.js';

const finding = (over: Partial<Finding> = {}): Finding => ({
  ruleId: 'cidr-overlap',
  severity: 2,
  message: 'overlap',
  file: '/repo/clusters/a/x.yaml',
  line: 3,
  column: 5,
  endLine: 3,
  endColumn: 9,
  cluster: 'a',
  related: [{ file: '/repo/clusters/b/x.yaml', line: 7, column: 1, endLine: 7, endColumn: 2, cluster: 'b' }],
  ...over,
});

describe('fingerprints', () => {
  it.each([
    ['the Corefile line a message quotes', 'forwards to 1.1.1.1 (line 12), not', 'forwards to 1.1.1.1 (line #), not'],
    ['a parse error position', 'bad indentation at x.yaml:4:7', 'bad indentation at x.yaml:#:#'],
    ['columns and lines', 'at line 3, column 9; lines 4', 'at line #, column #; lines #'],
    ['CIDRs and ports stay', '10.0.0.0/16 port 8080', '10.0.0.0/16 port 8080'],
  ])('mask %s', (_, message, masked) => {
    expect(maskPositions(message)).toBe(masked);
  });

  it.each([
    ['an absolute path (kustomize errors)', 'failed to read kustomization file under /tmp/a/clusters/c3:\nkind', 'failed to read kustomization file under #path:\nkind'],
    ['a relative YAML path', 'also defined in clusters/a/x.yaml (line 3)', 'also defined in #path (line 3)'],
    ['a quoted Windows path', 'cannot read "C:\\work\\x.yaml"', 'cannot read "C:#path"'],
    ['CIDRs, apiVersions and URLs stay', 'Pod CIDR 10.0.0.0/16 of apps/v1 see https://istio.io/x', 'Pod CIDR 10.0.0.0/16 of apps/v1 see https://istio.io/x'],
  ])('mask %s', (_, message, masked) => {
    expect(maskPaths(message)).toBe(masked);
  });

  it.each([
    ['its lines', { line: 30, endLine: 30 }],
    ['the related place’s lines', { related: [{ file: '/repo/clusters/b/x.yaml', line: 70, column: 3, endLine: 70, endColumn: 9, cluster: 'b' }] }],
    ['a line number quoted in the message', { message: 'overlap (line 99)' }],
    // The same object in another file (moved, or the repository renamed): the same finding (issue 17: the same output whatever the file names).
    ['the file', { file: '/repo/clusters/a/y.yaml' }],
    ['the related place’s file', { related: [{ file: '/repo/clusters/b/moved.yaml', line: 7, column: 1, endLine: 7, endColumn: 2, cluster: 'b' }] }],
  ])('do not depend on %s', (_, moved) => {
    const base = finding({ message: 'overlap (line 4)' });
    expect(fingerprints('/repo', [{ ...base, ...moved }])).toEqual(fingerprints('/repo', [base]));
  });

  it.each([
    ['rule', { ruleId: 'serviceexport-conflict' }],
    ['cluster', { cluster: 'c' }],
    ['message', { message: 'another overlap' }],
    ['related cluster', { related: [{ file: '/repo/clusters/b/x.yaml', line: 7, column: 1, endLine: 7, endColumn: 2, cluster: 'c' }] }],
  ])('depend on the %s', (_, changed) => {
    expect(fingerprints('/repo', [finding(changed)])).not.toEqual(fingerprints('/repo', [finding()]));
  });

  it('masking is linear: a 300 KB message of path characters without a YAML suffix (found by the fuzz harness: 10 s before)', () => {
    const message = `value ${'a/b'.repeat(100_000)} end`;
    // No timing assertion (machines are noisy): the quadratic regex took ~10 s here, this is a few ms; the result is checked.
    expect(maskPaths(message)).toBe(message);
    expect(maskPaths(`x ${'/a'.repeat(100_000)}.yaml`)).toBe('x #path');
  });

  it('do not depend on the paths a message quotes', () => {
    const at = (dir: string) => finding({ message: `kustomize failed under ${dir}/clusters/c3: bad` });
    expect(fingerprints('/repo', [at('/tmp/t1')])).toEqual(fingerprints('/repo', [at('/tmp/t1-renamed')]));
  });

  it('do not depend on where the checkout is', () => {
    const moved = finding({ file: '/ci/work/clusters/a/x.yaml', related: [{ ...finding().related[0], file: '/ci/work/clusters/b/x.yaml' }] });
    expect(fingerprints('/ci/work', [moved])).toEqual(fingerprints('/repo', [finding()]));
  });

  it('number identical findings by position, whatever the input order', () => {
    const first = finding({ line: 3 });
    const second = finding({ line: 9 });
    const [a, b] = fingerprints('/repo', [first, second]);
    expect(a).not.toBe(b);
    expect(fingerprints('/repo', [second, first])).toEqual([b, a]);
    expect(a).toBe(fingerprints('/repo', [first])[0]);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('escaping', () => {
  it.each([
    ['markup', `a<b & "c" 'd'>`, 'a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;', 'a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;'],
    ['line breaks (kept in text, character references in attributes)', 'a\nb\r', 'a\nb\r', 'a&#10;b&#13;'],
    ['C0 controls XML 1.0 cannot carry', 'a\u0001b\u001b[31m', 'a\\x01b\\x1b[31m', 'a\\x01b\\x1b[31m'],
    ['a bidirectional override', 'a\u202eb', 'a\\u202eb', 'a\\u202eb'],
    ['a lone surrogate and a noncharacter', 'a\ud800b\uffff', 'a\ufffdb\ufffd', 'a\ufffdb\ufffd'],
    ['a surrogate pair (kept)', 'a\u{1f680}b', 'a\u{1f680}b', 'a\u{1f680}b'],
  ])('XML: %s', (_, text, inText, inAttr) => {
    expect(xmlEscape(text)).toBe(inText);
    expect(xmlEscape(text, true)).toBe(inAttr);
  });

  it.each([
    ['a YAML flow sequence', 'subnets [10.0.0.0/16]', 'subnets \\[10.0.0.0/16\\]'],
    ['a link-like text', '[x](1)', '\\[x\\](1)'],
    ['no brackets', 'plain', 'plain'],
  ])('SARIF embedded links: %s', (_, text, escaped) => {
    expect(escapeLinkText(text)).toBe(escaped);
  });
});

describe('text from the repository in compact, junit and gitlab', () => {
  const stats: RunStats = {
    clusterSets: 1,
    clusters: 2,
    files: 1,
    documents: 1,
    objects: 1,
    skipped: { binary: [], 'too-large': [], template: [], unreadable: [], outside: [], unreferenced: [], patch: [] },
    otherDocuments: { 'helm-values': 0, kustomization: 0, 'json-patch': 0, other: 0 },
  };
  const input = (h: string): ReportInput => {
    const f = finding({ message: `ServiceExport "default/${h}" has no Service.`, hint: `Create "${h}".`, file: `/repo/clusters/${h}/se.yaml`, cluster: h });
    return { findings: [f], notes: [{ ...f, ruleId: 'unused-disable-directive' }], files: [f.file], stats, colorLevel: 0, verbose: false, cwd: '/repo' };
  };
  const xsd = readFileSync(join(import.meta.dirname, '..', 'schemas', 'junit-10.xsd'), 'utf8');

  it.each([
    ['a workflow command after a line break', 'x\n::error::INJECTED'],
    ['an ANSI escape', 'x\u001b[31mred'],
    ['a bidirectional override', 'x\u202eevil'],
    ['the legacy command prefix', 'x##[error]INJECTED'],
    ['XML markup', 'x</failure><testcase name="fake"/>'],
    ['a NUL and a lone surrogate', 'x\u0000\ud800'],
  ])('%s stays inert', async (_, h) => {
    const compact = formatCompact(input(h));
    expect(compact.split('\n').filter((l) => l !== '')).toHaveLength(3);
    // eslint-disable-next-line no-control-regex -- the test looks for the raw control characters
    expect(compact).not.toMatch(/^\s*::|##\[|\u001b|\u202e|\u0000/m);
    const xml = formatJunit(input(h));
    const valid = await validateXML({ xml: [{ fileName: 'r.xml', contents: xml }], schema: [{ fileName: 'junit-10.xsd', contents: xsd }] });
    expect(valid.errors.map((e) => e.rawMessage)).toEqual([]);
    expect(xml.match(/<testcase /g)).toHaveLength(1);
    expect((JSON.parse(formatGitlab(input(h))) as { location: { path: string } }[])[0].location.path).toBe(`clusters/${h}/se.yaml`);
  });
});
