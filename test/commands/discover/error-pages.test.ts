import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';
import { startServer, type TestServer } from '../../helpers/servers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Page not found</title><style>body{color:red}</style></head>
<body><h1>Sorry</h1><p>We looked everywhere.</p><script>track()</script></body>
</html>`;

describe('a discovery 404 with an HTML error page', () => {
  it('is summarised in one line: status, content type and the page title, never raw HTML', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      res.end(PAGE);
    });
    const { code, stderr } = await runCli(['discover', `${server.origin}/identity`]);
    expect(code).toBe(3);
    const line = stderr.split('\n').find((l) => l.startsWith('error'))!;
    expect(line).toMatch(/HTTP 404 \(text\/html\): an HTML page: "Page not found"/);
    expect(stderr).not.toMatch(/<!DOCTYPE|<html|<head|track\(\)/i);
    // The URLs tried are named once each.
    const url = `${server.origin}/identity/.well-known/openid-configuration`;
    expect(line.split(url).length - 1).toBe(1);
  });
});
