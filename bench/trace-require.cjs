// CommonJS side of the bench's load trace (the CLI is CommonJS): at exit, every module in the
// require cache is appended to the trace file, in the format trace-hooks.mjs writes.
const { appendFileSync } = require('node:fs');
const { pathToFileURL } = require('node:url');

const file = process.env.TOGO_TRACE_FILE;
process.on('exit', () => {
  if (!file) return;
  for (const path of Object.keys(require.cache))
    appendFileSync(file, `${path}\t${pathToFileURL(path).href}\n`);
});
