import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generateDocs } from '../../scripts/docs.js';

const docs = new URL('../../docs/', import.meta.url);

describe('the generated reference pages in docs/', () => {
  const pages = generateDocs();

  it('has a page for every command and one for the error codes', () => {
    expect([...pages.keys()]).toContain('commands/README.md');
    expect([...pages.keys()]).toContain('commands/decode.md');
    expect([...pages.keys()]).toContain('errors.md');
  });

  it.each([...pages.keys()])('docs/%s is what `npm run docs` writes today', async (path) => {
    const committed = await readFile(new URL(path, docs), 'utf8').catch(() => '(missing)');
    expect(committed, `docs/${path} is stale: run npm run docs and commit the result`).toBe(pages.get(path));
  });

  it('keeps no page of a command that no longer exists', async () => {
    const files = await readdir(new URL('commands/', docs));
    expect(files.filter((f) => !pages.has(`commands/${f}`))).toEqual([]);
  });
});
