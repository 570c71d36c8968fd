import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TogoError } from '../../src/errors.js';
import {
  assertFileIssuer,
  credentialEndpoint,
  fileOwnership,
  insecureEndpoint,
} from '../../src/provider/gate.js';

const ISSUER = 'https://op.example';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof TogoError ? error.code : `not a TogoError: ${String(error)}`;
  }
  return undefined;
}

describe('where a credential may be sent', () => {
  it("gives the endpoint of the pinned issuer's own document", () => {
    expect(
      credentialEndpoint(
        { issuer: ISSUER, metadata: { issuer: ISSUER, token_endpoint: `${ISSUER}/token` } },
        'token_endpoint',
      ),
    ).toBe(`${ISSUER}/token`);
  });

  it('sends nothing when the document names another issuer, even one differing by a slash', () => {
    expect(
      codeOf(() =>
        credentialEndpoint(
          { issuer: ISSUER, metadata: { issuer: `${ISSUER}/`, token_endpoint: `${ISSUER}/token` } },
          'token_endpoint',
        ),
      ),
    ).toBe('DISCOVERY_ISSUER_MISMATCH');
  });

  it('sends nothing to an endpoint the document does not name, or names over plain http', () => {
    expect(
      codeOf(() =>
        credentialEndpoint({ issuer: ISSUER, metadata: { issuer: ISSUER } }, 'revocation_endpoint'),
      ),
    ).toBe('PROVIDER_ENDPOINT_MISSING');
    expect(
      codeOf(() =>
        credentialEndpoint(
          { issuer: ISSUER, metadata: { issuer: ISSUER, token_endpoint: 'http://op.example/token' } },
          'token_endpoint',
        ),
      ),
    ).toBe('ENDPOINT_INSECURE');
  });

  it('allows plain http only between loopback hosts', () => {
    expect(insecureEndpoint('http://127.0.0.1:4000', 'http://localhost:4000/token')).toBeUndefined();
    expect(insecureEndpoint('http://127.0.0.1:4000', 'http://op.example/token')).toBe(
      'it is plain http to another machine',
    );
    expect(insecureEndpoint('http://op.example', 'http://op.example/token')).toBe(
      'it is plain http (allowed only for a provider on this machine)',
    );
    expect(insecureEndpoint(ISSUER, 'ftp://op.example/token')).toBe('its scheme is ftp, not https');
    expect(insecureEndpoint(ISSUER, 'not a url')).toBe('it is not a URL');
  });
});

describe('files that name an issuer', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it.skipIf(process.platform === 'win32')('trusts a file only when no one else can read or write it', () => {
    dir = mkdtempSync(join(tmpdir(), 'togo-gate-'));
    const file = join(dir, 'session.json');
    writeFileSync(file, '{}');
    chmodSync(file, 0o600);
    expect(fileOwnership(file)).toEqual({ own: true });
    chmodSync(file, 0o644);
    expect(fileOwnership(file)).toEqual({
      own: false,
      why: 'other users can read it (mode 644; togo writes 600)',
    });
    chmodSync(file, 0o666);
    expect(fileOwnership(file)).toMatchObject({ own: false, why: expect.stringContaining('can write it') });
    expect(fileOwnership(dir)).toEqual({ own: false, why: 'it is not a regular file' });
    expect(fileOwnership(join(dir, 'missing'))).toEqual({
      own: false,
      why: 'it cannot be examined (ENOENT)',
    });
  });

  it('refuses a file of another issuer, and says why when the file may not choose the issuer', () => {
    const file = { what: 'the session file', path: 'session.json', issuer: 'https://other.example' };
    let caught: unknown;
    try {
      assertFileIssuer(file, { issuer: ISSUER, how: '--issuer' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TogoError);
    expect((caught as TogoError).code).toBe('FILE_NOT_TRUSTED');
    expect((caught as TogoError).message).toContain('nothing is sent');
    expect((caught as TogoError).hint).toContain('use it with that issuer');
    let untrusted: unknown;
    try {
      assertFileIssuer(file, { issuer: ISSUER, how: '--issuer' }, 'other users can read it');
    } catch (error) {
      untrusted = error;
    }
    expect((untrusted as TogoError).message).toContain(
      'and the file may not choose it: other users can read it',
    );
    expect((untrusted as TogoError).hint).not.toContain('use it with that issuer');
    expect(() =>
      assertFileIssuer({ ...file, issuer: ISSUER }, { issuer: ISSUER, how: '--issuer' }),
    ).not.toThrow();
  });
});
