/**
 * The HTML report (issue 16) without a browser: the report data of a failing fixture (ranges,
 * the overlap, the export matrix's conflict and dangling import, exact places), the page's
 * self-containment (a CSP whose hash matches the one inline script, no external URL but rule
 * documentation links), links from the pictures to the findings, and escaping of hostile names,
 * messages and paths. The browser test is `html-report.e2e.test.ts`.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { htmlReportLine, runAction } from '../src/action/run.js';
import type { Finding } from '../src/engine/types.js';
import { lint, type LintResult } from '../src/lint.js';
import type { ReportData } from '../src/model/views/report-data.js';
import { esc } from '../src/report/html/escape.js';
import { formatHtml } from '../src/report/html/index.js';
import { FORMATTERS, reportInputOf } from '../src/report/index.js';

const FIXTURE = resolve('fixtures/html-overlap');
const at = (cluster: string, file: string) => join(FIXTURE, cluster, file);

/** The inline scripts of a page and its CSP `script-src` hashes. */
function scriptsAndHashes(html: string): { scripts: string[]; hashes: string[] } {
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1] ?? '';
  return { scripts, hashes: [...csp.matchAll(/'sha256-([^']+)'/g)].map((m) => m[1]) };
}

describe('report data of a failing fixture (html-overlap)', () => {
  let result: LintResult;
  const run = async () => (result ??= await lint({ dirs: [FIXTURE], reportData: true }));

  it('is absent unless asked for', async () => {
    expect((await lint({ dirs: [FIXTURE] })).reportData).toBeUndefined();
  });

  it('ranges per cluster and kind, with numeric bounds and exact places', async () => {
    const set = (await run()).reportData!.sets[0];
    expect(set.clusters.map((c) => c.name)).toEqual(['east', 'west']);
    expect(set.ranges.map((r) => [r.cluster, r.kind, r.cidr, r.start, r.end, r.at.line, r.at.column, r.isDefault])).toEqual([
      ['east', 'pod', '10.40.0.0/16', '170393600', '170459135', 8, 16, false],
      ['east', 'service', '172.20.0.0/16', '2886991872', '2887057407', 9, 16, false],
      ['west', 'pod', '10.40.0.0/16', '170393600', '170459135', 8, 16, false],
      ['west', 'service', '172.21.0.0/16', '2887057408', '2887122943', 9, 16, false],
    ]);
    expect(set.ranges[0].at.file).toBe(at('east', 'submariner.yaml'));
    expect(set.ranges[0].origin).toBe('Submariner spec.clusterCIDR');
    // Submariner without GlobalNet routes pod ranges as they are: the pod CIDRs overlap, west reported.
    expect(set.overlaps).toEqual([{ kind: 'submariner', a: 2, b: 0 }]);
    expect(set.globalnet).toBeUndefined();
    expect(set.connections).toEqual([{ kind: 'submariner', globalnet: false, clusters: ['east', 'west'], label: expect.stringMatching(/^Submariner/) }]);
  });

  it('the export matrix: exported, port conflict and dangling import, with places', async () => {
    const set = (await run()).reportData!.sets[0];
    expect(set.services.map((s) => s.key)).toEqual(['shop/billing', 'shop/cart']);
    const [billing, cart] = set.services;
    expect(billing.cells).toEqual([
      {
        cluster: 'west',
        state: 'dangling',
        details: ['ServiceImport of a service with no accepted ServiceExport in any cluster'],
        files: [at('west', 'cart.yaml')],
        at: { file: at('west', 'cart.yaml'), line: 23, column: 9 },
      },
    ]);
    expect(cart.cells.map((c) => [c.cluster, c.state, c.details])).toEqual([
      ['east', 'exported', []],
      ['west', 'conflict', ['PortConflict: grpc 8080/TCP (east: http 8080/TCP)']],
    ]);
    expect(cart.cells[1].at).toEqual({ file: at('west', 'cart.yaml'), line: 10, column: 7 });
  });

  it('is plain data: it survives JSON unchanged', async () => {
    const data = (await run()).reportData!;
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
  });

  it('the page: one inline script whose hash the CSP names, nothing external, pictures linked to findings', async () => {
    const r = await run();
    const html = await FORMATTERS.html({ ...reportInputOf(r), reportData: r.reportData });
    const { scripts, hashes } = scriptsAndHashes(html);
    expect(scripts).toHaveLength(1);
    expect(hashes).toEqual([createHash('sha256').update(scripts[0], 'utf8').digest('base64')]);
    expect(html).toMatch(/content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-[^']+'; img-src data:/);
    // No resource loads: no src attributes, no CSS url() or @import, links to the web only for rule docs.
    expect(html).not.toMatch(/\ssrc\s*=|url\(|@import|<link|<iframe|<object|<embed/i);
    const external = [...html.matchAll(/href="([^"#][^"]*)"/g)].map((m) => m[1]);
    for (const href of external) expect(href).toMatch(/^https:\/\/github\.com\/mclint\/mclint\/blob\/[^"]*\/docs\/rules\/[a-z-]+\.md$/);
    expect(html).toMatch(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/); // a namespace name, never fetched
    // Findings in list order: f-0 port conflict, f-1 dangling import, f-2 overlap (file, then line).
    expect(r.findings.map((f) => f.ruleId)).toEqual(['serviceimport-port-conflict', 'serviceimport-dangling', 'cidr-overlap']);
    expect(html).toMatch(/<tr id="f-2" class="sev2" data-rule="cidr-overlap" data-clusters="west\neast">/);
    // The overlap box links to the overlap's list entry, which links to the finding; the bars link to it too.
    expect(html).toMatch(/<a href="#ov-0-0"><rect class="overlap" id="ov-0-0-box"/);
    expect(html).toMatch(/<li id="ov-0-0" class="overlap-item">.*<a href="#f-2">finding<\/a><\/li>/);
    expect(html).toMatch(/<a href="#f-2"><rect class="bar k-pod ov" data-cluster="east"/);
    // Matrix cells link to their findings.
    expect(html).toMatch(/<td class="s-C" title="shop\/cart in west: conflict\nPortConflict: grpc 8080\/TCP \(east: http 8080\/TCP\)"><a href="#f-0">C<\/a><\/td>/);
    expect(html).toMatch(/<td class="s-D" title="[^"]*"><a href="#f-1">D<\/a><\/td>/);
  });

  it('without report data, the findings alone', async () => {
    const html = await FORMATTERS.html(reportInputOf(await run()));
    expect(html).toContain('<table class="findings">');
    expect(html).not.toContain('Address map');
  });
});

describe('mesh data: roles, remote secrets, trust roots, Linkerd links', () => {
  it('istio-remote-primary-remote: primary and remote roles, the remote secret held and whom it names', async () => {
    const set = (await lint({ dirs: [resolve('fixtures/istio-remote-primary-remote')], reportData: true })).reportData!.sets[0];
    expect(set.clusters.map((c) => [c.name, c.istio?.role, c.remoteSecrets])).toEqual([
      ['primary', 'primary', []],
      ['remote', 'remote', ['istio-remote-secret-primary → primary']],
    ]);
  });

  it('linkerd-links: trust anchors as subject and fingerprint start (no key material), the Link as a connection', async () => {
    const set = (await lint({ dirs: [resolve('fixtures/linkerd-links')], reportData: true })).reportData!.sets[0];
    const east = set.clusters.find((c) => c.name === 'east')!;
    expect(east.trustRoots).toEqual([expect.stringMatching(/^Linkerd trust anchor Test Root CA B \(SHA-256 [0-9A-F]{2}(:[0-9A-F]{2}){3}…\)$/)]);
    expect(JSON.stringify(set)).not.toContain('BEGIN CERTIFICATE');
    expect(set.connections).toContainEqual({ kind: 'linkerd', globalnet: false, clusters: ['west', 'east'], label: 'Linkerd Link from west to east' });
  });
});

describe('escaping', () => {
  it.each([
    ['markup', '<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['attribute break', '" onmouseover="alert(1)', '&quot; onmouseover=&quot;alert(1)'],
    ['single quote and ampersand', "a'b&c", 'a&#39;b&amp;c'],
    ['script end', '</script><script>alert(1)</script>', '&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['control characters', 'a\u001b[31mb\u0000c\u009bd', 'a\ufffd[31mb\ufffdc\ufffdd'],
    ['bidi override', 'ok\u202eevil\u2066', 'ok\ufffdevil\ufffd'],
    ['lone surrogate', 'x\ud800y', 'x\ufffdy'],
    ['kept: tab, newline, emoji', 'a\tb\nc 🚀', 'a\tb\nc 🚀'],
  ])('esc: %s', (_, text, escaped) => {
    expect(esc(text)).toBe(escaped);
  });

  const HOSTILE = '<img src=x onerror=alert(1)>"\'&\u202e';
  const dir = mkdtempSync(join(tmpdir(), 'mclint-html-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hostile cluster names, messages, rule ids and paths never become markup', () => {
    const file = join(dir, `${HOSTILE}.yaml`);
    const finding: Finding = {
      ruleId: `x-${HOSTILE}`,
      severity: 2,
      message: `message ${HOSTILE}`,
      hint: `hint ${HOSTILE}`,
      file,
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 2,
      cluster: HOSTILE,
      related: [{ file, line: 2, column: 1, endLine: 2, endColumn: 2, cluster: `other${HOSTILE}`, message: `related ${HOSTILE}` }],
    };
    const place = { file, line: 1, column: 1 };
    const data: ReportData = {
      sets: [
        {
          name: HOSTILE,
          clusters: [HOSTILE, `other${HOSTILE}`].map((name) => ({
            name,
            networks: [HOSTILE],
            submariner: true,
            istio: { clusterName: `cn${HOSTILE}`, trustDomain: HOSTILE, trustDomainIsDefault: false, eastWest: 'exposed' as const },
            remoteSecrets: [HOSTILE],
            trustRoots: [HOSTILE],
          })),
          ranges: [
            {
              id: 0,
              cluster: HOSTILE,
              kind: 'pod',
              family: 4,
              cidr: '10.0.0.0/16',
              network: '10.0.0.0/16',
              start: '167772160',
              end: '167837695',
              isDefault: false,
              origin: HOSTILE,
              at: place,
              also: [],
            },
            {
              id: 1,
              cluster: `other${HOSTILE}`,
              kind: 'pod',
              family: 4,
              cidr: '10.0.0.0/16',
              network: '10.0.0.0/16',
              start: '167772160',
              end: '167837695',
              isDefault: true,
              origin: HOSTILE,
              at: place,
              also: [],
            },
          ],
          overlaps: [{ kind: HOSTILE, a: 1, b: 0 }],
          services: [
            { key: `${HOSTILE}/${HOSTILE}`, namespace: HOSTILE, name: HOSTILE, cells: [{ cluster: HOSTILE, state: 'conflict', details: [HOSTILE], files: [file], at: place }] },
          ],
          meshes: [{ meshID: HOSTILE, networks: [{ name: HOSTILE, clusters: [HOSTILE, `other${HOSTILE}`] }] }],
          connections: [{ kind: 'linkerd', globalnet: false, clusters: [HOSTILE, `other${HOSTILE}`], label: HOSTILE }],
        },
      ],
    };
    const stats = { clusterSets: 1, clusters: 2, files: 1, documents: 1, objects: 1 } as LintResult['stats'];
    const html = formatHtml({ findings: [finding], files: [file], stats, colorLevel: 0, verbose: false, cwd: dir, reportData: data, rules: [] });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('\u202e');
    expect(html).not.toMatch(/onerror=alert\(1\)>"/);
    expect(html.match(/<script>/g)).toHaveLength(1);
    // Every text is there, escaped: cluster names, the message, the path (relative to cwd), the mesh.
    const shown = esc(HOSTILE);
    expect(shown).toBe('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;\ufffd');
    for (const text of [`message ${shown}`, `hint ${shown}`, `${shown}.yaml:1:1`, `Istio mesh ${shown}`, `network ${shown}`, `title="trust root">${shown}`, `x-${shown}`])
      expect(html).toContain(text);
    expect(html).toContain(`data-cluster="${shown}"`);
    // Every tag on the page is one the report writes: hostile text made none.
    const tags = new Set([...html.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => m[1].toLowerCase()));
    const written =
      'html head meta title style body header h1 h2 h3 h4 h5 span nav a main section p figure figcaption svg line text g rect title ul li b i details summary table thead tbody tr th td div label select option br script';
    expect([...tags].filter((t) => !written.split(' ').includes(t))).toEqual([]);
  });
});

describe('the GitHub Action writes the HTML report (input html-file) and links it from the job summary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mclint-html-action-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('htmlReportLine: the path, and the run-artifacts link when the run is known', () => {
    expect(htmlReportLine('')).toBe('');
    expect(htmlReportLine('out/mclint.html', {})).toBe('\nHTML report (address map, export matrix, mesh, findings): out/mclint.html\n');
    expect(htmlReportLine('out/mclint_[1].html', { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '42' })).toBe(
      "\nHTML report (address map, export matrix, mesh, findings): out/mclint\\_\\[1\\].html — open it from [this run's artifacts](https://github.com/o/r/actions/runs/42#artifacts) once uploaded with `actions/upload-artifact`\n",
    );
  });

  it('runAction with html-file: the page has the overlap, the output names it, the summary links it', async () => {
    const summary = join(dir, 'summary.md');
    const output = join(dir, 'output.txt');
    writeFileSync(summary, '');
    writeFileSync(output, '');
    const env = {
      GITHUB_WORKSPACE: resolve('.'),
      INPUT_PATH: 'fixtures/html-overlap',
      'INPUT_HTML-FILE': join(dir, 'out', 'mclint.html'),
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'o/r',
      GITHUB_RUN_ID: '7',
    };
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    // The action prints the stylish report and annotations to standard output: kept out of the test's.
    const quiet = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await runAction();
    } finally {
      quiet.mockRestore();
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      process.exitCode = undefined;
    }
    const html = readFileSync(join(dir, 'out', 'mclint.html'), 'utf8');
    expect(html).toContain('<rect class="overlap"');
    expect(html).toContain('<td class="s-C"');
    expect(readFileSync(output, 'utf8')).toContain(join(dir, 'out', 'mclint.html'));
    expect(readFileSync(summary, 'utf8')).toContain("[this run's artifacts](https://github.com/o/r/actions/runs/7#artifacts)");
  });
});
