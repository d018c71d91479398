// Preloaded with --import: writes the process's resource usage (maxRSS in KiB) when it exits.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.MCLINT_BENCH_RUSAGE) writeFileSync(process.env.MCLINT_BENCH_RUSAGE, JSON.stringify(process.resourceUsage()));
});
