#!/usr/bin/env node
/** Executable entry point (`bin.mclint`): runs the CLI with the real process streams. */
import './v8-tuning.js';
import { main } from './cli.js';

// A reader that stops early (`mclint … | head`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(process.exitCode ?? 0);
});

const code = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  isTTY: Boolean(process.stdout.isTTY),
});
process.exitCode = code;
