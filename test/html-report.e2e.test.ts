/**
 * Issue 16's "Done when", in a real browser: the built CLI writes the HTML report of a failing
 * fixture (`fixtures/html-overlap`: overlapping pod CIDRs, a ServiceImport port conflict, a
 * dangling ServiceImport) with `--format html:FILE`; headless Chromium (Debian's `chromium`,
 * driven by puppeteer-core, no browser download) opens it from disk and the test checks that it
 * loaded without console errors (CSP violations included) or page errors, that it requested
 * nothing (request interception sees the document only), that the overlap and the conflict are
 * drawn (elements with non-empty boxes), that the filters and the links work, and takes
 * screenshots (into a temporary directory). A 50-cluster ClusterSet from the benchmark generator
 * must fit 1280 pixels. Skipped, saying so, only when no Chromium binary exists; `.ci/run`
 * installs it and sets MCLINT_REQUIRE_CHROMIUM=1, which turns a missing browser into a failure.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, repoRoot, runCli } from './helpers/run-cli.js';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'].filter((p): p is string => !!p);
const chromium = CANDIDATES.find((p) => existsSync(p));
if (!chromium) {
  if (process.env.MCLINT_REQUIRE_CHROMIUM === '1') throw new Error(`MCLINT_REQUIRE_CHROMIUM=1 but no Chromium binary at ${CANDIDATES.join(', ')}`);
  console.warn(`html-report.e2e: skipped, no Chromium binary (looked at ${CANDIDATES.join(', ')}; apt-get install chromium, or set CHROMIUM_PATH)`);
}

/** What loading a page produced: console errors, page errors, requests other than the document itself. */
interface Load {
  page: Page;
  errors: string[];
  requests: string[];
}

describe.skipIf(!chromium)('the HTML report in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mclint-html-e2e-'));
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(bin)) throw new Error('dist/mclint.js is missing: run `npm run build` (npm test does it)');
    browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(file: string): Promise<Load> {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    const url = pathToFileURL(file).href;
    const load: Load = { page, errors: [], requests: [] };
    page.on('console', (m) => {
      if (m.type() === 'error') load.errors.push(m.text());
    });
    page.on('pageerror', (e) => load.errors.push(String(e)));
    await page.setRequestInterception(true);
    page.on('request', (r) => {
      if (r.url() !== url) load.requests.push(r.url());
      void (r.url() === url ? r.continue() : r.abort());
    });
    await page.goto(url, { waitUntil: 'load' });
    return load;
  }

  /** Evaluates a JavaScript expression in the page (text: the test's TypeScript has no DOM types). */
  const js = async <T>(page: Page, expression: string): Promise<T> => (await page.evaluate(expression)) as T;
  /** The `data-rule` of every finding row not hidden by the filters. */
  const visible = (page: Page) =>
    js<string[]>(page, `[...document.querySelectorAll('table.findings tbody tr')].filter((tr) => !tr.hidden).map((tr) => tr.getAttribute('data-rule'))`);

  /** The bounding box of the first element matching `selector` (null when none or not rendered). */
  const box = (page: Page, selector: string) => page.$(selector).then((h) => h?.boundingBox() ?? null);

  it('the failing fixture: loads cleanly, draws the overlap and the conflict, filters and links work', async () => {
    const report = join(dir, 'report.html');
    const r = runCli(['fixtures/html-overlap', '--format', `html:${report}`], { cwd: repoRoot });
    expect(r.status).toBe(1);
    const { page, errors, requests } = await open(report);
    const shot = join(dir, 'html-overlap.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);

    // The overlap: a red box over both rows, the two bars outlined, the list entry.
    const overlap = await box(page, 'svg rect.overlap');
    expect(overlap && overlap.width > 0 && overlap.height > 0).toBe(true);
    expect(await js(page, `[...document.querySelectorAll('svg rect.bar.ov')].map((e) => e.getAttribute('data-cluster'))`)).toEqual(['east', 'west']);
    expect(await js(page, `document.getElementById('ov-0-0').textContent`)).toMatch(/^10\.40\.0\.0\/16 pod CIDR of west .* overlaps 10\.40\.0\.0\/16 pod CIDR of east/);
    // The conflict and the dangling import in the export matrix.
    const conflict = await box(page, 'table.matrix td.s-C');
    expect(conflict && conflict.width > 0 && conflict.height > 0).toBe(true);
    const dangling = await box(page, 'table.matrix td.s-D');
    expect(dangling && dangling.width > 0 && dangling.height > 0).toBe(true);
    expect(await js(page, `document.querySelector('table.matrix td.s-C').getAttribute('title')`)).toContain('PortConflict: grpc 8080/TCP (east: http 8080/TCP)');

    // Filters: by rule, then by cluster (east appears only as the overlap's other side).
    expect(await visible(page)).toEqual(['serviceimport-port-conflict', 'serviceimport-dangling', 'cidr-overlap']);
    await page.select('#filter-rule', 'cidr-overlap');
    expect(await visible(page)).toEqual(['cidr-overlap']);
    expect(await js(page, `document.getElementById('shown').textContent`)).toBe('1');
    await page.select('#filter-rule', '');
    await page.select('#filter-cluster', 'east');
    expect(await visible(page)).toEqual(['serviceimport-port-conflict', 'cidr-overlap']);
    // A link from the matrix to a hidden finding clears the filters and shows it.
    await page.select('#filter-cluster', '');
    await page.select('#filter-rule', 'cidr-overlap');
    await page.click('table.matrix td.s-C a');
    await page.waitForFunction(`location.hash === '#f-0'`);
    await page.waitForFunction(`!document.getElementById('f-0').hidden`);
    expect(await visible(page)).toHaveLength(3);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('50 clusters fit a 1280-pixel window and load without errors or requests', async () => {
    const repo = join(dir, 'bench');
    const bench = (await import(pathToFileURL(join(repoRoot, 'bench', 'generate.mjs')).href)) as { generate: (d: string, o: { clusters: number; files: number }) => void };
    bench.generate(repo, { clusters: 50, files: 3 });
    const report = join(dir, 'bench.html');
    const r = runCli([repo, '--format', `html:${report}`]);
    expect([0, 1]).toContain(r.status);
    expect(readFileSync(report, 'utf8')).toContain('50 clusters');
    const { page, errors, requests } = await open(report);
    await page.screenshot({ path: join(dir, 'bench-50.png') });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(await js(page, `document.querySelectorAll('svg .row').length`)).toBe(50);
    expect(await js(page, `document.querySelectorAll('table.matrix thead th.vert').length`)).toBe(50);
    // No horizontal scrolling of the page: the address map scales, the matrix scrolls in its own box.
    expect(await js<number>(page, 'document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
    const map = await box(page, 'figure.map svg');
    expect(map && map.width > 1000 && map.width <= 1280).toBe(true);
    await page.close();
  }, 90_000);
});
