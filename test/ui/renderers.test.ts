import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Check } from '../../src/check.js';
import { renderCheckTable } from '../../src/ui/check-report.js';
import { PLAIN, type Style, styleFor } from '../../src/ui/color.js';
import { renderConfig } from '../../src/ui/config-report.js';
import { claimsLines, renderDecode, verdictLines } from '../../src/ui/decode.js';
import { renderDiscover } from '../../src/ui/discover.js';
import { renderLogin, renderLoginSummary } from '../../src/ui/login.js';
import { escapeJson, join, lines, type Safe, t } from '../../src/ui/safe.js';
import { renderIntrospection, renderUserinfo } from '../../src/ui/session.js';
import { hang, renderTable, section, table } from '../../src/ui/table.js';
import { renderComposedParams, renderInspection } from '../../src/ui/url-report.js';
import { checkRows, summaryLine } from '../../src/ui/verdicts.js';

/**
 * Every renderer in src/ui, fed arbitrary Unicode: what it returns holds no control, bidi or
 * invisible character except togo's own color codes and line breaks.
 */

// Written out here, not taken from src/ui/safe.ts, so the test does not trust the code it tests.
const CONTROL_OR_INVISIBLE =
  /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u115f\u1160\u3164\uffa0\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c]/u;

/** Togo's own styling: SGR color codes, removed before the search. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts a color code
const SGR = /\u001b\[[0-9;]*m/g;

function offending(text: string): string | undefined {
  const rest = text.replace(SGR, '').replace(/\n/g, '');
  const found = CONTROL_OR_INVISIBLE.exec(rest);
  return found ? `U+${found[0].codePointAt(0)?.toString(16)} in ${JSON.stringify(rest)}` : undefined;
}

const DANGEROUS = [
  '\u001b',
  '\u001b[2J',
  '\u001b]52;c;eA==\u0007',
  '\u001b]8;;https://x/\u0007',
  '\u001b[8m',
  '\u0000',
  '\u0007',
  '\b',
  '\r',
  '\n',
  '\t',
  '\u007f',
  '\u0085',
  '\u009b',
  '\u009d',
  '\u00ad',
  '\u061c',
  '\u180e',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u200e',
  '\u200f',
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2028',
  '\u2029',
  '\u2060',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\ufeff',
  '\u{e0001}',
  '\u{e0041}',
  '\ud800',
  '\udfff',
  '\u3164',
  'a',
  'Z',
  ' ',
  '/',
  '?',
  '&',
  '=',
  'é',
  '漢',
  '🙂',
];

/** Any Unicode, and strings built from the dangerous characters and sequences. */
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.constantFrom(...DANGEROUS), { maxLength: 30 }).map((parts) => parts.join('')),
);

const json = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(text, tie('value'), { maxKeys: 3 }),
  ),
})).value;

const claims = fc.dictionary(text, json, { maxKeys: 6 });

const check: fc.Arbitrary<Check & { name?: string }> = fc.record(
  {
    id: text,
    status: fc.constantFrom('pass', 'fail', 'warn', 'skip', 'info' as const),
    message: text,
    hint: text,
    code: fc.constantFrom('TOKEN_INVALID', 'TOKEN_EXPIRED', undefined),
    name: text,
  },
  { requiredKeys: ['id', 'status', 'message'] },
) as fc.Arbitrary<Check & { name?: string }>;

const checks = fc.array(check, { maxLength: 5 });

/** Plain and colored styles, unwrapped (a pipe) and at terminal widths. */
let colored: Style;
const styles = fc
  .tuple(fc.boolean(), fc.option(fc.integer({ min: 10, max: 120 }), { nil: undefined }))
  .map(([color, columns]) => ({ color, columns }));

async function styleOf(o: { color: boolean; columns: number | undefined }): Promise<Style> {
  if (!o.color)
    return o.columns === undefined ? PLAIN : (await import('../../src/ui/color.js')).plainStyle(o.columns);
  colored = await styleFor(1, o.columns);
  return colored;
}

const RUNS = { numRuns: 150 };

function expectSafe(out: Safe | Safe[]): void {
  const all = Array.isArray(out) ? out.map((l) => l.text).join('\n') : out.text;
  expect(offending(all)).toBeUndefined();
}

describe('every renderer escapes text from outside', () => {
  it('the building blocks: t, lines, join, styles, table, renderTable, section, hang', async () => {
    await fc.assert(
      fc.asyncProperty(
        styles,
        fc.array(fc.array(text, { minLength: 1, maxLength: 4 }), { maxLength: 5 }),
        text,
        async (o, rows, x) => {
          const s = await styleOf(o);
          expectSafe(t`a ${x} b ${s.bold(x)} ${s.red.bold(x)} ${s.dim.underline(x)}`);
          expectSafe(lines([x, s.cyan(x)]));
          expectSafe(join([x, s.green(x)], x));
          expectSafe(table(rows, { width: s.columns }));
          expectSafe(renderTable(rows, s, rows[0]));
          expectSafe(section(x, [x, s.yellow(x)]));
          expectSafe(hang(x, x, s.columns));
        },
      ),
      RUNS,
    );
  });

  it('check rows, summaries, verdicts and the check table', async () => {
    await fc.assert(
      fc.asyncProperty(styles, checks, text, async (o, list, issuer) => {
        const s = await styleOf(o);
        expectSafe(checkRows(list, s, { sort: true, hintsFor: ['fail', 'warn', 'info', 'pass', 'skip'] }));
        expectSafe(summaryLine(list, s));
        expectSafe(verdictLines(list, s));
        expectSafe(renderCheckTable(issuer, list as never, s));
      }),
      RUNS,
    );
  });

  it('decode, the claims table, userinfo and introspection', async () => {
    await fc.assert(
      fc.asyncProperty(styles, claims, claims, checks, text, async (o, header, payload, list, x) => {
        const s = await styleOf(o);
        const decoded = { raw: x, header, payload } as never;
        expectSafe(renderDecode({ decoded, expanded: {}, now: 1_700_000_000, clockSkew: 60 }, s));
        expectSafe(
          renderDecode(
            {
              decoded,
              expanded: {},
              verification: { ok: false, checks: list as never },
              now: 1_700_000_000,
              clockSkew: 60,
            },
            s,
          ),
        );
        expectSafe(claimsLines({ payload, expanded: {}, now: 0, clockSkew: 0 }, s, x));
        expectSafe(
          renderUserinfo(
            {
              endpoint: x,
              format: 'json',
              claims: payload,
              expanded: {},
              subject: { userinfo: x, idToken: x, match: false },
              now: 0,
            },
            s,
          ),
        );
        expectSafe(renderIntrospection(payload, 0, s, x));
      }),
      RUNS,
    );
  });

  it('the expanded Togo user, organizations, roles and tenant', async () => {
    await fc.assert(
      fc.asyncProperty(styles, text, fc.array(text, { maxLength: 3 }), json, async (o, x, names, value) => {
        const s = await styleOf(o);
        const organizations = names.map((n) => ({ id: n, name: n, isAdministrator: false, roles: names }));
        const expanded = {
          user: { kind: 'togo-user', claim: x, profileId: x, organizations },
          orgs: { kind: 'logto-organizations', organizations },
          roles: { kind: 'roles', roles: names },
          tenant: { kind: 'tenant', tenantName: x, tenantSub: value },
          json: { kind: 'json', claim: x, fromJsonString: true, value },
        } as never;
        expectSafe(claimsLines({ payload: { [x]: value }, expanded, now: 0, clockSkew: 0 }, s));
      }),
      RUNS,
    );
  });

  it('a login', async () => {
    await fc.assert(
      fc.asyncProperty(styles, claims, checks, text, async (o, payload, list, x) => {
        const s = await styleOf(o);
        const decoded = { raw: x, header: payload, payload };
        const result = {
          checks: list,
          idTokens: [
            {
              from: 'token endpoint',
              decoded,
              expansion: { expanded: {} },
              verification: { ok: false, checks: list },
            },
          ],
          accessToken: { tokenType: x, expiresIn: 60, scope: x, jwt: decoded, length: 10 },
          tokens: { id_token: x, refresh_token: x },
        } as never;
        expectSafe(renderLogin({ result, flow: x, now: 0, clockSkew: 0 }, s));
        expectSafe(renderLoginSummary({ result, flow: x, now: 0, clockSkew: 0 }, { saved: x, stored: x }, s));
      }),
      RUNS,
    );
  });

  it('discover', async () => {
    await fc.assert(
      fc.asyncProperty(
        styles,
        claims,
        fc.array(claims, { maxLength: 3 }),
        checks,
        text,
        async (o, metadata, keys, list, x) => {
          const s = await styleOf(o);
          const insp = {
            discovery: {
              requested: x,
              url: x,
              location: 'oidc',
              metadata: { ...metadata, issuer: x, scopes_supported: [x] },
              raw: x,
            },
            jwks: { url: x, jwks: { keys: keys.map((k) => ({ ...k, kid: x, kty: x, alg: x, use: x })) } },
            findings: list,
          } as never;
          expectSafe(renderDiscover(insp, s));
        },
      ),
      RUNS,
    );
  });

  it('inspect-url, the composed login parameters and the config report', async () => {
    await fc.assert(
      fc.asyncProperty(
        styles,
        fc.array(fc.tuple(text, text), { maxLength: 4 }),
        checks,
        text,
        async (o, pairs, list, x) => {
          const s = await styleOf(o);
          const params = pairs.map(([name, value]) => ({ name, value, raw: value }));
          expectSafe(
            renderInspection(
              {
                ok: false,
                url: x,
                kind: 'togo-login',
                params,
                returnUrl: { url: x, relative: true, params },
                findings: list,
              },
              s,
            ),
          );
          expectSafe(
            renderComposedParams(
              {
                flavor: 'togo',
                codeVerifier: x,
                params: pairs.map(([name, value]) => ({ name, value, in: 'authorize' })),
              } as never,
              s,
            ),
          );
          expectSafe(
            renderConfig(
              {
                settings: {
                  environment: x,
                  issuer: x,
                  clientId: x,
                  scope: x,
                  responseType: x,
                  flavor: 'togo',
                  profile: x,
                  behaviourProfile: x,
                },
                sources: { issuer: { kind: 'file', label: x } },
                files: [x],
                environments: [{ name: x, definedIn: x }],
              } as never,
              s,
            ),
          );
        },
      ),
      RUNS,
    );
  });
});

describe('layout', () => {
  it('a value never starts a new line: one line per row when not wrapped', () => {
    fc.assert(
      fc.property(fc.array(fc.array(text, { minLength: 1, maxLength: 4 }), { maxLength: 6 }), (rows) => {
        expect(table(rows)).toHaveLength(rows.length);
        expect(table(rows).every((l) => !l.text.includes('\n'))).toBe(true);
      }),
    );
  });

  it('wraps at word boundaries only: every word whole, in order, lines within the width', () => {
    const word = fc.stringMatching(/^[a-zA-Z0-9.,()-]{1,14}$/);
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 30, max: 100 }),
        (words, width) => {
          const out = hang('  label  ', words.join(' '), width).map((l) => l.text);
          expect(out.every((l) => l.length <= width)).toBe(true);
          expect(out.join(' ').trim().split(/\s+/).slice(1)).toEqual(words);
          expect(out.slice(1).every((l) => l.startsWith(' '.repeat(9)) && l[9] !== ' ')).toBe(true);
        },
      ),
    );
  });

  it('breaks URLs only after / ? & =, so they read back whole when the breaks are removed', () => {
    const segment = fc.stringMatching(/^[a-z0-9._~-]{1,12}$/);
    const url = fc
      .tuple(
        fc.array(segment, { minLength: 1, maxLength: 6 }),
        fc.array(fc.tuple(segment, segment), { maxLength: 4 }),
      )
      .map(
        ([path, query]) =>
          `https://id.example/${path.join('/')}${query.length ? `?${query.map(([k, v]) => `${k}=${v}`).join('&')}` : ''}`,
      );
    fc.assert(
      fc.property(url, fc.integer({ min: 20, max: 60 }), (u, width) => {
        const out = hang('', u, width).map((l) => l.text);
        expect(out.join('')).toBe(u);
        for (const l of out.slice(0, -1)) expect(l).toMatch(/[/?&=]$/);
      }),
    );
  });

  it('--json text escapes the invisible characters and still parses to the same value', () => {
    fc.assert(
      fc.property(json, (value) => {
        const out = escapeJson(JSON.stringify({ value }, null, 2));
        expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify({ value })));
        expect(offending(out)).toBeUndefined();
      }),
    );
  });

  it('a Safe cannot become a plain string by accident', () => {
    const s = PLAIN.bold('x');
    expect(() => `${s}`).toThrow(/plain string/);
    expect(() => [s].join('')).toThrow(/plain string/);
  });
});

describe('the boundary holds by construction', () => {
  const src = new URL('../../src/', import.meta.url);
  const files = async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const names = (await readdir(src, { recursive: true })).filter((f) => f.endsWith('.ts'));
    return Promise.all(names.map(async (f) => ({ f, text: await readFile(new URL(f, src), 'utf8') })));
  };

  it('only the escaping helpers mark text as safe without escaping it', async () => {
    const users = (await files()).filter(({ text }) => /\btrusted\(/.test(text)).map(({ f }) => f);
    expect(users.sort()).toEqual(['ui/color.ts', 'ui/safe.ts', 'ui/table.ts']);
  });

  it('only the run context and the process edge write to the output streams', async () => {
    const writers = (await files())
      .filter(({ text }) => /\b(stdout|stderr)\.write\(/.test(text))
      .map(({ f }) => f);
    // main.ts writes commander's own help text; every other byte goes through Ctx.
    expect(writers.sort()).toEqual(['cli/main.ts', 'commands/shared/context.ts']);
  });
});
