import { describe, expect, it } from 'vitest';
import { decodeToken, extractToken } from '../../src/oidc/token.js';
import { b64, SEED_REDIRECT_URL, SEED_TOKEN } from '../helpers/tokens.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('finding the token in what a developer pastes', () => {
  it.each([
    ['the bare token', SEED_TOKEN],
    ['the token with spaces and a newline around it', `  ${SEED_TOKEN}\n`],
    ['a quoted token', `"${SEED_TOKEN}"`],
    ['a Bearer value', `Bearer ${SEED_TOKEN}`],
    ['an Authorization header line', `Authorization: Bearer ${SEED_TOKEN}`],
    ['an authorization header in lower case', `authorization: bearer ${SEED_TOKEN}`],
    ['the seed redirect URL with its fragment', SEED_REDIRECT_URL],
    ['a bare fragment', `#state=abc&id_token=${SEED_TOKEN}`],
    ['a fragment without #', `state=abc&id_token=${SEED_TOKEN}&session_state=x`],
    ['a query string', `?code=c&id_token=${SEED_TOKEN}`],
    [
      'a redirect with a custom scheme',
      `sample-togogroup-app://oauth_redirect#id_token=${SEED_TOKEN}&state=s`,
    ],
  ])('accepts %s', (_name, input) => {
    expect(extractToken(input).token).toBe(SEED_TOKEN);
  });

  it('says where the token came from and keeps the other response parameters', () => {
    const found = extractToken(SEED_REDIRECT_URL);
    expect(found.source).toBe('id_token from the URL fragment');
    expect(found.params?.state).toBe('YTZlYjZmOTYyMzkzN2M5Mjk5OGNmMTY1');
  });

  it('picks the access token with --field access_token', () => {
    expect(extractToken(`#access_token=abc.def.ghi&id_token=${SEED_TOKEN}`, 'access_token').token).toBe(
      'abc.def.ghi',
    );
  });

  it('names the tokens that are there when the requested one is missing', () => {
    try {
      extractToken('#access_token=abc.def.ghi&state=s');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toBe('no id_token in the fragment (it has access_token, state)');
      expect((error as { hint: string }).hint).toContain('access_token');
    }
  });

  it('reports the error a provider sent back instead of a token', () => {
    try {
      extractToken('https://app.example/cb#error=access_denied&error_description=User%20cancelled&state=s');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toBe(
        'the redirect carries an error, not a token: access_denied: User cancelled',
      );
    }
  });

  it('refuses empty input and megabytes of input', () => {
    expect(codeOf(() => extractToken('   '))).toBe('TOKEN_MISSING');
    expect(codeOf(() => extractToken('x'.repeat(3 * 1024 * 1024)))).toBe('INPUT_TOO_LARGE');
  });
});

describe('decoding a token', () => {
  it('decodes the seed token header and claims', () => {
    const { header, payload } = decodeToken(SEED_TOKEN);
    expect(header).toMatchObject({
      alg: 'RS256',
      kid: '3D89601B1D88F0C27F235500DC79DDDB699ED454',
      typ: 'JWT',
    });
    expect(header.x5t).toBe('PYlgGx2I8MJ_I1UA3Hnd22me1FQ');
    expect(payload).toMatchObject({ email: 'joe@m.test', aud: 'roadtrippers-ios', exp: 1535721617 });
  });

  it.each([
    [
      'two parts',
      'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0',
      'TOKEN_MALFORMED',
      'the token has 2 parts separated by dots; a JWT has 3',
    ],
    ['one part', 'hello', 'TOKEN_MALFORMED', 'the token has 1 part separated by dots; a JWT has 3'],
    ['four parts', 'a.b.c.d', 'TOKEN_MALFORMED', 'the token has 4 parts separated by dots; a JWT has 3'],
    [
      'a JWE',
      'eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d',
      'TOKEN_IS_JWE',
      'this is an encrypted token (JWE): five parts, not three',
    ],
    [
      'standard base64 characters',
      `${b64({ alg: 'RS256' })}.ab+c/d==.sig`,
      'TOKEN_MALFORMED',
      'the payload is not base64url: it contains "+"',
    ],
    ['an empty header', `.${b64({ sub: 'x' })}.sig`, 'TOKEN_MALFORMED', 'the header is empty'],
    [
      'a header that is not JSON',
      `${b64('not json')}.${b64({ sub: 'x' })}.sig`,
      'TOKEN_MALFORMED',
      'the header cannot be decoded',
    ],
    [
      'a payload that is not JSON',
      `${b64({ alg: 'RS256' })}.${b64('{nope')}.sig`,
      'TOKEN_MALFORMED',
      'the payload is not JSON',
    ],
    [
      'a payload that is a JSON array',
      `${b64({ alg: 'RS256' })}.${b64([1, 2])}.sig`,
      'TOKEN_MALFORMED',
      'the payload is JSON but not an object',
    ],
  ])('refuses %s with a message naming what is wrong', (_name, token, code, message) => {
    try {
      decodeToken(token);
      expect.unreachable();
    } catch (error) {
      expect((error as { code: string }).code).toBe(code);
      expect((error as Error).message).toContain(message);
    }
  });
});
