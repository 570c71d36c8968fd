import { describe, expect, it } from 'vitest';
import { lintJwks } from '../../src/oidc/jwks-lint.js';

describe('the JWKS linter on keys that name built-in object members', () => {
  // A provider's JWKS is outside text: "kty" may be any string, including names every object has.
  it.each(['valueOf', 'constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    'reports kty "%s" as an unknown key type instead of failing',
    (kty) => {
      const findings = lintJwks({ keys: [{ kty, kid: 'k1' }], signingAlgs: ['RS256'] });
      expect(findings.map((f) => [f.id, f.status, f.message])).toEqual([
        ['jwks.structure', 'fail', `key "k1": unknown kty ${JSON.stringify(kty)}`],
        [
          'jwks.unusable',
          'warn',
          'no key can verify RS256, which id_token_signing_alg_values_supported lists',
        ],
      ]);
    },
  );
});
