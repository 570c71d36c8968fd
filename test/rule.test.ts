import { describe, expect, it } from 'vitest';
import { type Expectation, fail, info, pass, type Rule, runRules, skip, warn } from '../src/rule.js';

interface Input {
  claim?: string;
  expected?: string;
}

const EXPECTED: Expectation<Input> = {
  name: 'expected',
  what: 'expected value',
  hint: 'Pass --expected <value> to check it.',
  given: (i) => i.expected !== undefined,
};

const matches: Rule<Input> = {
  id: 'x.match',
  spec: 'Example §1',
  appliesTo: 'example',
  needs: [EXPECTED],
  run: (i) => (i.claim === i.expected ? pass('it matches') : fail('it differs', { code: 'TOKEN_INVALID' })),
};

describe('the one rule shape', () => {
  it('names every verdict by the id of the rule that gave it, in table order', () => {
    const rules: Rule<Input>[] = [
      {
        id: 'x.one',
        spec: 'Example §1',
        appliesTo: 'example',
        run: () => [warn('a', { hint: 'h' }), info('b')],
      },
      { id: 'x.two', spec: 'Example §2', appliesTo: 'example', run: () => [] },
      { id: 'x.three', spec: 'Example §3', appliesTo: 'example', run: () => skip('c') },
    ];
    expect(runRules(rules, {})).toEqual([
      { id: 'x.one', status: 'warn', message: 'a', hint: 'h' },
      { id: 'x.one', status: 'info', message: 'b' },
      { id: 'x.three', status: 'skip', message: 'c' },
    ]);
  });

  it('runs a rule whose expectation is given', () => {
    expect(runRules([matches], { claim: 'a', expected: 'a' })).toEqual([
      { id: 'x.match', status: 'pass', message: 'it matches' },
    ]);
    expect(runRules([matches], { claim: 'a', expected: 'b' })).toEqual([
      { id: 'x.match', status: 'fail', message: 'it differs', code: 'TOKEN_INVALID' },
    ]);
  });

  it('skips a rule whose expectation is missing, with the hint the expectation declares', () => {
    expect(runRules([matches], { claim: 'a' })).toEqual([
      {
        id: 'x.match',
        status: 'skip',
        message: 'not checked: no expected value was given',
        hint: 'Pass --expected <value> to check it.',
      },
    ]);
  });

  it('lets a rule say what a missing expectation means when a skip would not be true', () => {
    const strict: Rule<Input> = {
      ...matches,
      unmet: (_i, missing) =>
        warn(`${missing.name} not compared`, { hint: missing.hint, code: 'AUDIENCE_NOT_CHECKED' }),
    };
    expect(runRules([strict], {})).toEqual([
      {
        id: 'x.match',
        status: 'warn',
        message: 'expected not compared',
        hint: 'Pass --expected <value> to check it.',
        code: 'AUDIENCE_NOT_CHECKED',
      },
    ]);
  });

  it('leaves details a verdict does not have absent, not undefined', () => {
    expect(Object.keys(pass('ok'))).toEqual(['status', 'message']);
    expect(Object.keys(fail('no', { name: 'exp', code: 'TOKEN_EXPIRED' }))).toEqual([
      'name',
      'status',
      'message',
      'code',
    ]);
  });
});
