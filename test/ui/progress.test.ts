import { describe, expect, it } from 'vitest';
import { PLAIN, plainStyle } from '../../src/ui/color.js';
import { spinnerLine, waitingForRequest, waitingLine } from '../../src/ui/progress.js';

const request = {
  host: 'id.example.com',
  method: 'GET',
  url: 'https://id.example.com/.well-known/openid-configuration',
  timeoutMs: 10_000,
  waitedMs: 1000,
};

describe('what a slow request waits for', () => {
  it('names the document when the caller named it, else the method and path', () => {
    expect(waitingForRequest({ ...request, what: 'discovery document' }).text).toBe(
      'waiting for id.example.com: the discovery document',
    );
    expect(
      waitingForRequest({ ...request, method: 'POST', url: 'https://id.example.com/connect/token' }).text,
    ).toBe('waiting for id.example.com: POST /connect/token');
  });

  it('escapes a host or path from outside', () => {
    const said = waitingForRequest({ ...request, host: 'evil\u001b[2J.example', what: 'JWKS' }).text;
    expect(said).not.toContain('\u001b');
    expect(said).toContain('\\x1b[2J');
  });

  it('says the limit once to a pipe', () => {
    const what = waitingForRequest({ ...request, what: 'JWKS' });
    expect(waitingLine(what, 10_000, PLAIN).text).toBe('waiting for id.example.com: the JWKS (up to 10 s)…');
  });

  it("the spinner's line fits the terminal: shorter aside first, then what is awaited is cut", () => {
    const what = waitingForRequest({
      ...request,
      host: `${'very-long-host-name.'.repeat(5)}example`,
      what: 'JWKS',
    });
    expect(spinnerLine(0, what, 3000, 10_000, PLAIN).text).toContain('(3 s of 10 s; Ctrl-C to stop)');
    for (const columns of [120, 80, 40]) {
      const line = spinnerLine(0, what, 3000, 10_000, plainStyle(columns)).text;
      expect([...line].length).toBeLessThan(columns);
      expect(line).toMatch(/\(3 s( of 10 s)?(; Ctrl-C to stop)?\)$/);
    }
  });
});
