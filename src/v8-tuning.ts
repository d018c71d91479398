/**
 * V8 settings for mclint's kind of run: a few seconds of CPU-bound work over a lot of code (YAML
 * parser, validators, fact sources, rules), where the optimizing compiler's background work
 * competes with the main and parse worker threads for the same cores. Imported first by the
 * entry points, before any function is hot enough to be optimized; V8 flags are process-wide,
 * so parse workers get them too.
 *
 * - `--max-inlined-bytecode-size-cumulative=300` (V8's default: 920): TurboFan inlines less into
 *   each optimized function. Measured on the 100,050-document benchmark: TurboFan's compile jobs
 *   took 2.05 s in all (traced with `--trace-opt`) before, 1.03 s after, for the same 250
 *   functions; whole-run wall time 6–8% lower. The code it produces runs slightly slower, which
 *   a run this short does not notice.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--max-inlined-bytecode-size-cumulative=300');
