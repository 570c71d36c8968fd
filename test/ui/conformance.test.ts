import { describe, expect, it } from 'vitest';
import { PLAIN } from '../../src/ui/color.js';
import {
  type ConformanceCase,
  type ConformanceReport,
  conformanceChecks,
  renderConformance,
  summaryLine,
} from '../../src/ui/conformance.js';

const EVIDENCE = { url: 'http://127.0.0.1:3000/home', status: 200, line: 'Welcome back' };

function report(cases: ConformanceCase[], over: Partial<ConformanceReport> = {}): ConformanceReport {
  return {
    ok: cases.every((c) => c.verdict !== 'FAIL'),
    issuer: 'http://127.0.0.1:4000',
    startUrl: 'http://127.0.0.1:3000/login',
    flow: { responseType: 'code', nonce: true },
    control: { app: 'accepted', evidence: EVIDENCE },
    cases,
    ...over,
  };
}

const ok: ConformanceCase = {
  fault: 'expired-id-token',
  expected: 'reject',
  app: 'rejected',
  ok: true,
  verdict: 'ok',
  evidence: null,
};
const failed: ConformanceCase = {
  fault: 'wrong-audience',
  expected: 'reject',
  app: 'accepted',
  ok: false,
  verdict: 'FAIL',
  evidence: EVIDENCE,
  rule: 'OIDC Core 3.1.3.7 #3',
  hint: 'check aud',
};
const notRun: ConformanceCase = {
  fault: 'bad-signature',
  expected: null,
  app: 'not run',
  ok: true,
  verdict: 'not run',
  evidence: null,
  reason: 'the flow has no ID token',
};

describe('the conformance report', () => {
  it('passes when every case met its expectation', () => {
    const out = renderConformance(report([ok]), PLAIN).text;
    expect(out.split('\n')[0]).toBe('Conformance of http://127.0.0.1:3000/login');
    expect(out).toMatch(/flow\s+response_type code, nonce sent/);
    expect(out).toMatch(/expired-id-token\s+reject\s+rejected\s+ok/);
    expect(out.trimEnd().split('\n').at(-1)).toBe('Result: PASS (1 ok, 0 allowed, 0 failed, 0 not run)');
  });

  it('names an accepted fault with its rule, hint and evidence, and fails the result', () => {
    const out = renderConformance(report([ok, failed, notRun]), PLAIN).text;
    expect(out).toContain('wrong-audience: accepted a login it must reject');
    expect(out).toContain('    rule      OIDC Core 3.1.3.7 #3');
    expect(out).toContain('    evidence  200 http://127.0.0.1:3000/home: "Welcome back"');
    expect(out).toContain('bad-signature: not run: the flow has no ID token');
    expect(out.trimEnd().split('\n').at(-1)).toBe(
      'Result: FAIL (1 ok, 0 allowed, 1 failed, 1 not run): wrong-audience',
    );
  });

  it('says the run proves nothing when the control login failed, and lists no cases', () => {
    const out = renderConformance(
      report([ok], { control: { app: 'rejected', evidence: { ...EVIDENCE, status: null } } }),
      PLAIN,
    ).text;
    expect(out).toContain('The control login without a fault failed: the run proves nothing.');
    expect(out).toContain('rejected  no status http://127.0.0.1:3000/home');
    expect(out).not.toContain('expired-id-token');
  });

  it('says where a run stopped when a good login failed between cases', () => {
    expect(summaryLine(report([ok], { brokeAfter: 'expired-id-token' }), PLAIN).text).toBe(
      'Stopped: after expired-id-token a good login failed too (1 ok, 0 allowed, 0 failed, 0 not run)',
    );
  });
});

describe('conformance cases as checks', () => {
  it('gives the control login and each case a check, failing an accepted fault and skipping one not run', () => {
    const checks = conformanceChecks(report([ok, failed, notRun]));
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['conformance.control', 'pass'],
      ['conformance.expired-id-token', 'pass'],
      ['conformance.wrong-audience', 'fail'],
      ['conformance.bad-signature', 'skip'],
    ]);
    expect(checks[2]).toMatchObject({
      message:
        'wrong-audience: expected reject, the application accepted (200 http://127.0.0.1:3000/home: "Welcome back"); OIDC Core 3.1.3.7 #3',
      hint: 'check aud',
    });
  });

  it('warns about an allowed answer and fails an inconclusive case with a hint', () => {
    const checks = conformanceChecks(
      report([
        { ...ok, expected: 'reject-or-accept', app: 'accepted', verdict: 'allowed', rule: 'RFC 9207 §2.4' },
        { ...ok, verdict: 'inconclusive' },
      ]),
    );
    expect(checks[1]).toMatchObject({ status: 'warn' });
    expect(checks[1]?.message).toContain('allowed: RFC 9207 §2.4');
    expect(checks[2]).toMatchObject({ status: 'fail' });
    expect(checks[2]?.hint).toBeTruthy();
  });
});
