import { describe, expect, it } from 'vitest';
import { parseSessionFile, type SessionFile, sessionFileText } from '../../src/oidc/session-file.js';

const SESSION: SessionFile = {
  version: 1,
  issuer: 'https://id.example',
  clientId: 'app',
  tokens: { id_token: 'eyJ.eyJ.sig', access_token: 'at-secret', token_type: 'Bearer' },
};

const refused = (text: string) => {
  try {
    parseSessionFile(text, 'session.json');
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('the session file was accepted');
};

describe('the session file', () => {
  it('reads back what login --save writes', () => {
    const text = sessionFileText(SESSION);
    expect(text.endsWith('}\n')).toBe(true);
    expect(parseSessionFile(text, 'session.json')).toEqual(SESSION);
  });

  it('refuses text that is not JSON, naming the file', () => {
    expect(refused('{ "version": 1,')).toMatchObject({
      code: 'SESSION_INVALID',
      message: expect.stringMatching(/^session\.json is not JSON/),
    });
  });

  it('refuses another version, an array, or a field of the wrong type', () => {
    expect(refused('{"version": 2, "tokens": {"id_token": "x"}}').message).toMatch(/version is 2/);
    expect(refused('[]').message).toMatch(/not a JSON object/);
    expect(refused('{"version": 1, "issuer": 7, "tokens": {"id_token": "x"}}').message).toMatch(
      /"issuer" is not a string/,
    );
    expect(refused('{"version": 1, "tokens": {"access_token": 7}}').message).toMatch(
      /"tokens.access_token" is not a string/,
    );
  });

  it('refuses a file without any token', () => {
    expect(refused('{"version": 1, "tokens": {"id_token": ""}}').message).toMatch(/holds no id_token/);
    expect(refused('{"version": 1}').message).toMatch(/"tokens" is missing/);
  });

  it('never puts a token in its message', () => {
    const error = refused('{"version": 1, "tokens": {"id_token": "x", "scope": ["secret-value"]}}');
    expect(error.message).not.toContain('secret-value');
  });
});
