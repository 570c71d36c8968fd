#!/usr/bin/env node
import { run } from '../dist/cli.js';

const code = await run(process.argv.slice(2));
process.exitCode = code;
// Every command closes what it opened; should a stray handle remain, it must not keep the shell waiting.
setTimeout(() => process.exit(code), 1000).unref();
