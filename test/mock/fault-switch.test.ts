/**
 * Faults switched while the emulator runs (what `togo conformance` does between its cases): one
 * emulator, the same published key throughout, each login seeing the faults in effect when it ran.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider } from '../../src/index.js';
import type { MockProvider } from '../../src/mock/types.js';
import { Agent, authorizeUrl, follow, REDIRECT_URI, random } from './flow.js';

async function implicitIdToken(mock: MockProvider): Promise<string> {
  const url = authorizeUrl(mock.issuer, {
    client_id: 'togo-cli',
    response_type: 'id_token',
    redirect_uri: REDIRECT_URI,
    scope: 'openid',
    state: random(),
    nonce: random(),
  });
  const arrival = await follow(new Agent(), url, REDIRECT_URI);
  return arrival.params.get('id_token') ?? '';
}

async function publishedKids(mock: MockProvider): Promise<string[]> {
  const jwks = (await (await fetch(mock.jwksUri)).json()) as { keys: Array<{ kid: string }> };
  return jwks.keys.map((k) => k.kid);
}

describe('faults switched at run time', () => {
  let mock: MockProvider;
  beforeAll(async () => {
    mock = await startMockProvider({ autoLogin: 'joe@m.test' });
  });
  afterAll(async () => {
    await mock.close();
  });

  it('a login after the switch gets the fault, a login after switching off does not, and the key stays', async () => {
    const kids = await publishedKids(mock);
    const before = await implicitIdToken(mock);
    expect(decodeJwt(before).aud).toBe('togo-cli');

    await mock.setFaults(['wrong-audience']);
    expect(mock.faults).toEqual(['wrong-audience']);
    expect(decodeJwt(await implicitIdToken(mock)).aud).toBe('some-other-client');

    await mock.setFaults(['unknown-kid']);
    const stranger = await implicitIdToken(mock);
    expect(kids).not.toContain(decodeProtectedHeader(stranger).kid);

    await mock.setFaults([]);
    const after = await implicitIdToken(mock);
    expect(decodeJwt(after).aud).toBe('togo-cli');
    expect(decodeProtectedHeader(after).kid).toBe(decodeProtectedHeader(before).kid);
    expect(await publishedKids(mock)).toEqual(kids);
  });

  it('rotate-keys switched on mid-run publishes the next key and signs the next token with it', async () => {
    const [primary] = await publishedKids(mock);
    await mock.setFaults(['rotate-keys']);
    const rotated = await implicitIdToken(mock);
    const kid = decodeProtectedHeader(rotated).kid;
    expect(kid).not.toBe(primary);
    expect(await publishedKids(mock)).toEqual([primary, kid]);
    await mock.setFaults([]);
  });

  it('an unknown fault name is refused and leaves the faults as they were', async () => {
    await mock.setFaults(['expired-id-token']);
    await expect(mock.setFaults(['no-such-fault' as never])).rejects.toMatchObject({
      code: 'MOCK_FAULT_UNKNOWN',
    });
    expect(mock.faults).toEqual(['expired-id-token']);
    await mock.setFaults([]);
  });
});
