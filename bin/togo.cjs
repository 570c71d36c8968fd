#!/usr/bin/env node
'use strict';
// The process edge of togo. Besides starting the CLI it keeps V8's compiled code of togo's own
// bundles between runs, which is most of what togo adds to Node's own start.
//
// One mechanism on every Node line: each bundle is compiled through vm.Script with the code cached
// by an earlier run, and when there was none (or V8 refused it) the code is written back at exit,
// after the command ran, so it holds every function the run compiled and not only the top level.
//
// Where: $TOGO_COMPILE_CACHE, else $XDG_CACHE_HOME/togo/compile-cache, else
// ~/.cache/togo/compile-cache; TOGO_COMPILE_CACHE=off turns it off. The directory is used only when
// it and every directory above it is owned by the user or root and writable by no one else (a
// sticky directory such as /tmp is accepted above it: others cannot replace or remove what is in
// it), and the directory itself is the user's and closed to everyone else; otherwise togo runs
// without the cache. It holds only the current build's entries (one per bundle, command and Node
// runtime): entries of other builds are removed whenever an entry is written.

// The module system's class, without loading the public node:module (and the ES module loader with it).
const Module = module.constructor;
const fs = require('node:fs');
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist');

function cacheDirectory() {
  const setting = process.env.TOGO_COMPILE_CACHE;
  if (setting === 'off' || setting === '0') return undefined;
  if (setting) return path.resolve(setting);
  const base = process.env.XDG_CACHE_HOME || (process.env.HOME && path.join(process.env.HOME, '.cache'));
  return base ? path.join(base, 'togo', 'compile-cache') : undefined;
}

/**
 * The build's identity (a hash of its bundles), its commands and the bundles that call import(),
 * written by scripts/build.mjs to dist/build-id; without it, no cache.
 */
function readBuild() {
  try {
    const [id, commands = '', withImport = ''] = fs
      .readFileSync(path.join(dist, 'build-id'), 'latin1')
      .split('\n');
    if (!/^[0-9a-f]{8,64}$/.test(id)) return undefined;
    return { id, commands: commands.split(' '), withImport: withImport.split(' ') };
  } catch {
    return undefined;
  }
}

/** The command a run asks for, when it is one of the build's: the first word, or the one after `help`. */
function requestedCommand(argv, commands) {
  const words = argv.filter((a) => !a.startsWith('-'));
  const word = words[0] === 'help' ? words[1] : words[0];
  return commands.includes(word) ? word : undefined;
}

/**
 * Whether `dir` can hold code that togo will run. It, and every directory up to the root of its
 * real path, must be owned by this user or root and writable by no one else (sticky directories
 * excepted above it), and `dir` itself must be this user's and open to no one else. A missing
 * `dir` is created (0700) only below a directory that passes the same check. Where ownership
 * cannot be told (no POSIX user ids), no.
 */
function trustedDirectory(dir) {
  if (typeof process.getuid !== 'function') return false;
  const uid = process.getuid();
  /** Every directory from `start` up to the root: this user's or root's, writable by no one else. */
  const safeUpwards = (start) => {
    for (let current = start; ; ) {
      const st = fs.lstatSync(current);
      if (st.uid !== uid && st.uid !== 0) return false;
      if ((st.mode & 0o022) !== 0 && (st.mode & 0o1000) === 0) return false;
      const parent = path.dirname(current);
      if (parent === current) return true;
      current = parent;
    }
  };
  try {
    if (!fs.existsSync(dir)) {
      let existing = path.dirname(dir);
      while (!fs.existsSync(existing)) existing = path.dirname(existing);
      if (!safeUpwards(fs.realpathSync.native(existing))) return false;
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    }
    const real = fs.realpathSync.native(dir);
    const own = fs.lstatSync(real);
    if (!own.isDirectory() || own.uid !== uid || (own.mode & 0o077) !== 0) return false;
    return safeUpwards(path.dirname(real));
  } catch {
    return false;
  }
}

/** Compiles togo's bundles with V8's code cache from `dir`, for the build `id`. */
function codeCacheForBundles(dir, { id, commands, withImport }) {
  const vm = require('node:vm');
  const prefix = dist + path.sep;
  // One entry per bundle, build and runtime (V8 refuses code cached by another V8 or other flags).
  const runtime = `${process.version}-${process.arch}`;
  const fresh = [];
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileWithCache(content, filename, ...rest) {
    if (!filename.startsWith(prefix)) return compile.call(this, content, filename, ...rest);
    const relative = filename.slice(prefix.length).replaceAll(path.sep, '/');
    // Bundles that import() at run time (the emulator) compile the usual way: a script restored
    // from a code cache has no loader for import().
    if (withImport.includes(relative)) return compile.call(this, content, filename, ...rest);
    let bundle = relative.replaceAll('/', '_');
    // The program is cached per command: V8 keeps the functions a run compiled, and each command
    // runs its own part of the program (its flags, its parsing); other runs share one entry.
    if (bundle === 'cli.cjs') bundle = `cli.cjs@${requestedCommand(process.argv.slice(2), commands) ?? ''}`;
    const file = path.join(dir, `${id}-${runtime}-${bundle}`);
    let cachedData;
    try {
      cachedData = fs.readFileSync(file);
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    if (cachedData === undefined || script.cachedDataRejected) fresh.push([file, script]);
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
  // togo's bundles are ASCII (scripts/build.mjs sees to it): read as such, without the UTF-8
  // decoding Node's loader does for any file.
  const loadCjs = Module._extensions['.cjs'];
  Module._extensions['.cjs'] = function loadAscii(module, filename) {
    if (!filename.startsWith(prefix)) return loadCjs.call(this, module, filename);
    return module._compile(fs.readFileSync(filename).latin1Slice(), filename);
  };
  process.once('exit', () => {
    if (fresh.length === 0) return;
    try {
      for (const [file, script] of fresh) {
        // Written aside and renamed into place: a concurrent run reads a whole entry or none.
        const temporary = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(temporary, file);
      }
      // Only the current build's entries stay; what this cache never wrote is left alone.
      for (const name of fs.readdirSync(dir)) {
        if (name.startsWith(`${id}-`) && !name.endsWith('.tmp')) continue;
        if (/^[0-9a-f]{8,64}-v\d/.test(name)) fs.rmSync(path.join(dir, name), { force: true });
        // Node's own compile cache, which earlier versions of togo kept here, one directory per Node.
        else if (/^v\d+\.\d+\.\d+$/.test(name))
          fs.rmSync(path.join(dir, name), { recursive: true, force: true });
      }
    } catch {
      // A cache that cannot be written only costs the next start a few milliseconds.
    }
  });
}

const cacheDir = cacheDirectory();
if (cacheDir) {
  const build = readBuild();
  if (build && trustedDirectory(cacheDir)) codeCacheForBundles(cacheDir, build);
}

require('../dist/cli.cjs')
  .run(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
    // Every command closes what it opened; should a stray handle remain, it must not keep the shell waiting.
    setTimeout(() => process.exit(code), 1000).unref();
  });
