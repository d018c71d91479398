#!/usr/bin/env node
// npm run bench: end-to-end figures for mclint on a synthetic ClusterSet, measured against a
// bare js-yaml parse of the same files in the same run, plus the cold start of a small repo.
//
//   node bench/run.mjs [--runs N] [--clusters N] [--files N] [--fleet-runs N]
//
// The rendered fleet (a kustomize base and one overlay per cluster) is measured when kubectl or
// kustomize is installed: cold (empty render cache) against running the renderer over every overlay
// one after another in the same run, and warm (render cache filled, nothing changed).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generate, generateFleet } from './generate.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'dist', 'mclint.js');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    clusters: { type: 'string', default: '50' },
    files: { type: 'string', default: '400' },
    'fleet-runs': { type: 'string', default: '3' },
  },
});
const runs = Number(values.runs);

/** Runs `node [--import rusage] args`, returns wall seconds, peak RSS (MiB) and exit status. */
function timed(args, env = {}) {
  const rusageFile = join(tmpdir(), `mclint-rusage-${process.pid}.json`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(join(here, 'rusage.mjs')).href, ...args], {
    env: { ...process.env, ...env, MCLINT_BENCH_RUSAGE: rusageFile },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const usage = JSON.parse(readFileSync(rusageFile, 'utf8'));
  rmSync(rusageFile, { force: true });
  return { wall, rssMiB: usage.maxRSS / 1024, status: r.status, stderr: r.stderr.toString() };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x, d = 2) => x.toFixed(d);

const work = mkdtempSync(join(tmpdir(), 'mclint-bench-'));
try {
  const big = join(work, 'big');
  const docs = generate(big, { clusters: Number(values.clusters), files: Number(values.files) });
  console.log(`synthetic ClusterSet: ${values.clusters} clusters × ${values.files} files, ${docs} documents`);
  const mclintArgs = [bin, big, '--format', 'json', '--output-file', join(work, 'out.json')];
  const yardArgs = [join(here, 'yardstick.mjs'), big];
  // One uncounted pair first: the page cache and the machine settle.
  timed(mclintArgs);
  timed(yardArgs);
  const mclint = [];
  const yard = [];
  for (let i = 0; i < runs; i++) {
    // Alternate, so drift in machine speed hits both equally.
    const m = timed(mclintArgs);
    if (m.status !== 0 && m.status !== 1) throw new Error(`mclint exited ${m.status}: ${m.stderr}`);
    mclint.push(m);
    yard.push(timed(yardArgs));
  }
  const ratios = mclint.map((m, i) => m.wall / yard[i].wall);
  const mWall = median(mclint.map((m) => m.wall));
  const yWall = median(yard.map((y) => y.wall));
  console.log(`mclint end to end     ${fmt(mWall)} s  ${Math.round(docs / mWall)} docs/s  peak RSS ${fmt(Math.max(...mclint.map((m) => m.rssMiB)), 0)} MiB  (median of ${runs})`);
  console.log(`js-yaml loadAll only  ${fmt(yWall)} s  ${Math.round(docs / yWall)} docs/s  peak RSS ${fmt(Math.max(...yard.map((y) => y.rssMiB)), 0)} MiB`);
  console.log(`ratio mclint / js-yaml: ${fmt(median(ratios))}× (runs: ${ratios.map((r) => fmt(r)).join(', ')}; budget ≤ 1.5×)`);

  const small = join(work, 'small');
  // 3 clusters × 20 files × 5 documents, plus one Submariner CR per cluster.
  const smallDocs = generate(small, { clusters: 3, files: 20 });
  const cold = [];
  for (let i = 0; i < Math.max(9, runs * 2); i++) cold.push(timed([bin, small, '--format', 'json', '--output-file', join(work, 'small.json')]).wall);
  console.log(`cold start, 3 clusters / ${smallDocs} documents: ${fmt(median(cold), 3)} s median of ${cold.length} (budget ≤ 0.3 s)`);
  fleet(work);
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** The kustomize binary the fleet is rendered with (as mclint looks for it: kustomize, else kubectl). */
function renderer() {
  for (const [command, args] of [
    ['kustomize', ['build']],
    ['kubectl', ['kustomize']],
  ]) {
    if (spawnSync(command, ['version', ...(command === 'kubectl' ? ['--client'] : [])], { stdio: 'ignore' }).status === 0) return { command, args };
  }
  return undefined;
}

/** Wall seconds of running the renderer over every overlay, one after another (the yardstick). */
function sequentialRenders(tool, overlays) {
  const t0 = process.hrtime.bigint();
  for (const dir of overlays) {
    const r = spawnSync(tool.command, [...tool.args, dir], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`${tool.command} failed on ${dir}: ${r.stderr}`);
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** The rendered-fleet figures (see the file comment). */
function fleet(work) {
  const tool = renderer();
  const runs = Number(values['fleet-runs']);
  if (!tool || runs < 1) {
    console.log(`rendered fleet: skipped (${tool ? '--fleet-runs 0' : 'neither kustomize nor kubectl is installed'})`);
    return;
  }
  const dir = join(work, 'fleet');
  const docs = generateFleet(dir, { clusters: Number(values.clusters), files: 80 });
  const overlays = Array.from({ length: Number(values.clusters) }, (_, c) => join(dir, 'clusters', `cluster-${String(c).padStart(2, '0')}`));
  console.log(`rendered fleet: ${values.clusters} kustomize overlays of one base, ${docs} documents rendered, with ${tool.command} ${tool.args.join(' ')}`);
  const args = [bin, dir, '--format', 'json', '--output-file', join(work, 'fleet.json')];
  const cold = [];
  const yard = [];
  for (let i = 0; i < runs; i++) {
    // Every cold run gets an empty render cache of its own.
    const m = timed(args, { XDG_CACHE_HOME: mkdtempSync(join(work, 'cache-')) });
    if (m.status !== 0 && m.status !== 1) throw new Error(`mclint exited ${m.status}: ${m.stderr}`);
    cold.push(m);
    yard.push(sequentialRenders(tool, overlays));
  }
  const warmCache = mkdtempSync(join(work, 'cache-'));
  timed(args, { XDG_CACHE_HOME: warmCache });
  const warm = [];
  for (let i = 0; i < Math.max(5, runs); i++) warm.push(timed(args, { XDG_CACHE_HOME: warmCache }));
  const ratios = cold.map((m, i) => m.wall / yard[i]);
  const peak = (list) => fmt(Math.max(...list.map((m) => m.rssMiB)), 0);
  console.log(`fleet cold (empty render cache)     ${fmt(median(cold.map((m) => m.wall)))} s  peak RSS ${peak(cold)} MiB  (median of ${runs})`);
  console.log(`${tool.command} ${tool.args.join(' ')} of every overlay, sequentially  ${fmt(median(yard))} s`);
  console.log(`ratio cold / sequential renders: ${fmt(median(ratios))}× (runs: ${ratios.map((r) => fmt(r)).join(', ')}; budget ≤ 0.6×)`);
  console.log(`fleet warm (render cache, nothing changed)  ${fmt(median(warm.map((m) => m.wall)))} s  peak RSS ${peak(warm)} MiB  (median of ${warm.length}; budget ≤ 0.5 s)`);
}
