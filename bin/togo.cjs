#!/usr/bin/env node
'use strict';
// Node 22+ keeps compiled code between runs; a no-op on Node 20.
require('node:module').enableCompileCache?.();

require('../dist/cli.cjs')
  .run(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
    // Every command closes what it opened; should a stray handle remain, it must not keep the shell waiting.
    setTimeout(() => process.exit(code), 1000).unref();
  });
