import { describe, expect, it } from 'vitest';
import { bearerError } from '../../src/oidc/bearer.js';

describe('Bearer error responses (RFC 6750 §3)', () => {
  it('reads error and error_description from WWW-Authenticate', () => {
    expect(
      bearerError('Bearer realm="api", error="invalid_token", error_description="The access token expired"'),
    ).toEqual({ error: 'invalid_token', description: 'The access token expired' });
  });

  it('gives nothing when there is no header or no error in it', () => {
    expect(bearerError(undefined)).toEqual({});
    expect(bearerError('Bearer realm="api"')).toEqual({});
  });
});
