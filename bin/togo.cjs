#!/usr/bin/env node
'use strict';
// The process edge of togo. Besides starting the CLI it keeps V8's compiled code of togo's own
// bundles between runs (a few milliseconds of every start): Node 22 and later do it themselves;
// on Node 20 the bundles are compiled through vm.Script with a code cache. The cache holds togo's
// compiled code only, in a directory only the user can read: $TOGO_COMPILE_CACHE, else
// $XDG_CACHE_HOME/togo/compile-cache, else ~/.cache/togo/compile-cache. TOGO_COMPILE_CACHE=off
// turns it off.
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');

function cacheDirectory() {
  const setting = process.env.TOGO_COMPILE_CACHE;
  if (setting === 'off' || setting === '0') return undefined;
  if (setting) return setting;
  const base = process.env.XDG_CACHE_HOME || (process.env.HOME && path.join(process.env.HOME, '.cache'));
  return base ? path.join(base, 'togo', 'compile-cache') : undefined;
}

/** A directory of this user's only: created 0700, and refused when someone else owns it. */
function privateDirectory(dir) {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.statSync(dir);
    if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return false;
    return (st.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

/** Node 20: compile togo's bundles with V8's code cache, written back once at exit when new. */
function codeCacheForBundles(dir) {
  const vm = require('node:vm');
  const dist = path.join(__dirname, '..', 'dist') + path.sep;
  const fresh = [];
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileWithCache(content, filename) {
    // Bundles that import() at run time (the emulator, the browser opener) compile the usual way:
    // a script restored from a code cache has no loader for import().
    if (!filename.startsWith(dist) || content.includes('import('))
      return compile.call(this, content, filename);
    // Keyed by the bundle file's size and modification time (a build writes new bundles): V8's own
    // check of cached code looks at the length of the source only.
    const name = path.relative(dist, filename).replaceAll(path.sep, '_');
    const { mtimeMs } = fs.statSync(filename);
    const cacheFile = path.join(dir, `${name}-${Math.trunc(mtimeMs).toString(36)}-${content.length}`);
    let cachedData;
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    if (cachedData === undefined || script.cachedDataRejected) fresh.push([cacheFile, script, name]);
    const wrapper = script.runInThisContext({ displayErrors: true });
    return wrapper.call(
      this.exports,
      this.exports,
      Module.createRequire(filename),
      this,
      filename,
      path.dirname(filename),
    );
  };
  process.once('exit', () => {
    for (const [file, script, name] of fresh) {
      try {
        // Code cached for an older version of the bundle is of no more use.
        for (const old of fs.readdirSync(dir)) if (old.startsWith(`${name}-`)) fs.rmSync(path.join(dir, old));
        fs.writeFileSync(file, script.createCachedData(), { mode: 0o600 });
      } catch {
        // A cache that cannot be written only costs the next start a few milliseconds.
      }
    }
  });
}

const cacheDir = cacheDirectory();
if (cacheDir) {
  // V8 refuses code cached by another V8 or for other source, so one directory per Node version.
  const versioned = path.join(cacheDir, process.version);
  if (privateDirectory(versioned)) {
    if (typeof Module.enableCompileCache === 'function') Module.enableCompileCache(versioned);
    else codeCacheForBundles(versioned);
  }
}

require('../dist/cli.cjs')
  .run(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
    // Every command closes what it opened; should a stray handle remain, it must not keep the shell waiting.
    setTimeout(() => process.exit(code), 1000).unref();
  });
