#!/usr/bin/env node
/** Executable entry point (`bin.mclint`): runs the CLI with the real process streams. */
import { main } from './cli.js';

const code = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  isTTY: Boolean(process.stdout.isTTY),
});
process.exitCode = code;
