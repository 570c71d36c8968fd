import { describe, expect, it } from 'vitest';
import { TogoError } from '../src/errors.js';
import { redactText, redactValue } from '../src/redact.js';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl';

describe('what errors show unasked', () => {
  it('redacts credential parameters of URLs and forms, keeping the rest of the URL', () => {
    expect(
      redactText(
        `https://op.example/end?id_token_hint=${JWT}&state=abc&post_logout_redirect_uri=http%3A%2F%2F127.0.0.1`,
      ),
    ).toBe(
      'https://op.example/end?id_token_hint=(redacted)&state=abc&post_logout_redirect_uri=http%3A%2F%2F127.0.0.1',
    );
    expect(redactText('http://127.0.0.1/cb?code=abc123&state=s#access_token=at&token_type=Bearer')).toBe(
      'http://127.0.0.1/cb?code=(redacted)&state=s#access_token=(redacted)&token_type=Bearer',
    );
    expect(redactText('grant_type=x&client_secret=s3cret&client_assertion=a.b.c')).toBe(
      'grant_type=x&client_secret=(redacted)&client_assertion=(redacted)',
    );
    // Names that merely contain a secret's name are left alone.
    expect(redactText('?response_type=code&code_challenge=xyz')).toBe(
      '?response_type=code&code_challenge=xyz',
    );
  });

  it('redacts JWTs and credential members of JSON bodies', () => {
    expect(redactText(`the token ${JWT} was refused`)).toBe('the token (redacted) was refused');
    expect(redactText('{"access_token":"opaque-123","token_type":"Bearer"}')).toBe(
      '{"access_token":"(redacted)","token_type":"Bearer"}',
    );
  });

  it('walks details, credential-named keys included, and keeps error codes called code', () => {
    expect(
      redactValue({
        trail: [`https://op.example/a?code=c1`],
        refresh_token: 'r1',
        code: 'TOKEN_INVALID',
        n: 3,
      }),
    ).toEqual({
      trail: ['https://op.example/a?code=(redacted)'],
      refresh_token: '(redacted)',
      code: 'TOKEN_INVALID',
      n: 3,
    });
  });

  it('an error as JSON has its message and details redacted', () => {
    const e = new TogoError(
      'LOGIN_PROVIDER_ERROR',
      `refused at https://op.example/end?id_token_hint=${JWT}`,
      {
        details: { trail: [`https://op.example/end?id_token_hint=${JWT}`] },
      },
    );
    expect(JSON.stringify(e.toJSON())).not.toContain(JWT);
    expect(e.shownMessage).toContain('id_token_hint=(redacted)');
  });
});
