/**
 * Deep JSON never crashes togo: a claim or a userinfo value nested thousands of levels deep (well
 * under the input cap) is shown cut with a note, in the human view and in --json, and the command
 * exits as it would for a shallow value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { depthMarker, limitDepth, MAX_DEPTH } from '../../src/oidc/depth.js';
import { runCli } from '../helpers/run-cli.js';
import { sendJson, startServer, type TestServer } from '../helpers/servers.js';
import { b64 } from '../helpers/tokens.js';

const LEVELS = 5000;
/** JSON text, not values: JSON.stringify itself overflows on them (which is the point). */
const DEEP_ARRAY = `${'['.repeat(LEVELS)}1${']'.repeat(LEVELS)}`;
const DEEP_OBJECT = `${'{"a":'.repeat(LEVELS)}1${'}'.repeat(LEVELS)}`;
const deepArray = () => JSON.parse(DEEP_ARRAY);

/** A token whose payload carries the given claims as raw JSON text (decode alone needs no real signature). */
const tokenWith = (claims: Record<string, string>) => {
  const members = Object.entries(claims).map(([k, v]) => `${JSON.stringify(k)}:${v}`);
  const payload = `{"iss":"https://id.example.test","sub":"u1",${members.join(',')}}`;
  return `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(payload)}.c2ln`;
};

let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res, self) => {
    if (req.url === '/.well-known/openid-configuration') {
      sendJson(res, { issuer: self.origin, userinfo_endpoint: `${self.origin}/userinfo` });
    } else if (req.url === '/userinfo') {
      sendJson(res, `{"sub":"u1","deep":${DEEP_OBJECT}}`);
    } else {
      res.writeHead(404).end();
    }
  });
});
afterAll(() => server.close());

describe('deep JSON', () => {
  it('decode shows a claim nested 5,000 levels deep cut with a note, and exits 0', async () => {
    const r = await runCli(['decode', tokenWith({ deep: DEEP_ARRAY, obj: DEEP_OBJECT })]);
    expect(r.stderr).not.toContain('INTERNAL');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(depthMarker());
    expect(r.stderr).toMatch(/nested deeper than \d+ levels/);
  });

  it('decode --json keeps the data cut with a marker and stays one valid JSON document', async () => {
    const r = await runCli(['decode', tokenWith({ deep: DEEP_ARRAY }), '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(JSON.stringify(doc.payload.deep)).toContain(depthMarker());
    expect(doc.warnings.join('\n')).toMatch(/nested deeper than/);
  });

  it('decode --claim of a deep claim prints it cut instead of crashing', async () => {
    const r = await runCli(['decode', tokenWith({ deep: DEEP_OBJECT }), '--claim', 'deep']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(depthMarker());
  });

  it('a JSON claim inside a string is cut the same way', async () => {
    const r = await runCli(['decode', tokenWith({ custom_data: JSON.stringify(DEEP_OBJECT) })]);
    expect(r.stderr).not.toContain('INTERNAL');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(JSON in a string, expanded)');
    expect(r.stdout).toContain(depthMarker());
  });

  it('userinfo with a deep response shows it cut with a note, in the human view and in --json', async () => {
    const human = await runCli(['userinfo', '--issuer', server.origin, '--token', 'at-123']);
    expect(human.stderr).not.toContain('INTERNAL');
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(depthMarker());
    expect(human.stderr).toMatch(/userinfo response holds values nested deeper/);
    const json = await runCli(['userinfo', '--issuer', server.origin, '--token', 'at-123', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.stringify(JSON.parse(json.stdout).claims.deep)).toContain(depthMarker());
  });

  it('limitDepth keeps shallow values whole and "__proto__" keys as own data', () => {
    const shallow = JSON.parse('{"a":[1,{"b":2}],"__proto__":{"x":1}}');
    const { value, cut } = limitDepth(shallow);
    expect(cut).toBe(false);
    expect(value).toEqual(shallow);
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    const deep = limitDepth(deepArray());
    expect(deep.cut).toBe(true);
    let v: unknown = deep.value;
    let depth = 0;
    while (Array.isArray(v)) {
      v = v[0];
      depth++;
    }
    expect(depth).toBe(MAX_DEPTH);
    expect(v).toBe(depthMarker());
  });
});
