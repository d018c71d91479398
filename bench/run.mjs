#!/usr/bin/env node
// npm run bench: end-to-end figures for mclint on a synthetic ClusterSet, measured against a
// bare js-yaml parse of the same files in the same run, plus the cold start of a small repo.
//
//   node bench/run.mjs [--runs N] [--clusters N] [--files N]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generate } from './generate.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'dist', 'mclint.js');
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, clusters: { type: 'string', default: '50' }, files: { type: 'string', default: '400' } },
});
const runs = Number(values.runs);

/** Runs `node [--import rusage] args`, returns wall seconds, peak RSS (MiB) and exit status. */
function timed(args) {
  const rusageFile = join(tmpdir(), `mclint-rusage-${process.pid}.json`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(join(here, 'rusage.mjs')).href, ...args], {
    env: { ...process.env, MCLINT_BENCH_RUSAGE: rusageFile },
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
} finally {
  rmSync(work, { recursive: true, force: true });
}
