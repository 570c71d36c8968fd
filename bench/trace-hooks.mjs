// Module hooks for the bench's load trace: every URL the ESM loader resolves is appended to a file.
// Registered by a --import preload (see footprint.mjs); runs on the loader's own thread.
import { appendFileSync } from 'node:fs';

let file = '';

export function initialize(data) {
  file = data.file;
}

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(file, `${specifier}\t${result.url}\n`);
  return result;
}
