import { describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../src/config/resolve.js';
import { PLAIN, plainStyle } from '../../src/ui/color.js';
import { renderConfig, renderEnvironments } from '../../src/ui/config-report.js';

function resolved(over: Partial<ResolvedConfig> = {}): ResolvedConfig {
  return {
    settings: { environment: 'dev', issuer: 'https://op.example', clientId: 'my-app' },
    sources: {
      environment: { kind: 'flag', label: '--env' },
      issuer: { kind: 'file', label: './togo.config.json (environment "dev")' },
      clientId: { kind: 'env', label: 'TOGO_CLIENT_ID' },
    },
    files: ['./togo.config.json'],
    environments: [
      { name: 'dev', definedIn: './togo.config.json' },
      { name: 'prod', definedIn: 'built-in' },
    ],
    supplyingFiles: [],
    ...over,
  } as ResolvedConfig;
}

describe('togo config show', () => {
  it('shows each setting with the source it came from, and marks unset ones', () => {
    const out = renderConfig(resolved(), PLAIN).text;
    expect(out).toMatch(/^setting\s+value\s+source/);
    expect(out).toMatch(/\nissuer\s+https:\/\/op\.example\s+\.\/togo\.config\.json \(environment "dev"\)\n/);
    expect(out).toMatch(/\nclientId\s+my-app\s+TOGO_CLIENT_ID\n/);
    expect(out).toMatch(/\nredirectUri\s+\(not set\)\n/);
    expect(out).toContain('config files: ./togo.config.json');
    expect(out).toContain('environments: dev, prod');
  });

  it('never prints the client secret, and says when it was withheld', () => {
    const shown = renderConfig(resolved({ settings: { clientSecret: 's3cr3t-value' } as never }), PLAIN).text;
    expect(shown).not.toContain('s3cr3t-value');
    expect(shown).toMatch(/\nclientSecret\s+\(set, not shown\)/);
    const withheld = renderConfig(
      resolved({ settings: {} as never, secretWithheld: { file: './togo.config.json' } }),
      PLAIN,
    ).text;
    expect(withheld).toContain('(set, withheld: the issuer comes from ./togo.config.json)');
  });

  it('puts the source after its value on a narrow terminal', () => {
    const out = renderConfig(resolved(), plainStyle(50)).text;
    expect(out).toMatch(/^setting\s+value \(source\)/);
    expect(out).toContain('my-app (TOGO_CLIENT_ID)');
  });

  it('says when no config file was found', () => {
    expect(renderConfig(resolved({ files: [] }), PLAIN).text).toContain('config files: none found');
  });
});

describe('togo config list', () => {
  it('stars the current environment and shows why another cannot be resolved', () => {
    const out = renderEnvironments(
      [
        {
          name: 'dev',
          current: true,
          issuer: 'https://op.example',
          clientId: 'app',
          definedIn: './togo.config.json',
        },
        {
          name: 'broken',
          current: false,
          definedIn: './togo.config.json',
          problem: 'extends unknown "base"',
        },
      ],
      PLAIN,
    ).text;
    const [, dev, broken] = out.split('\n');
    expect(dev).toMatch(/^\*\s+dev\s+https:\/\/op\.example\s+app\s+\.\/togo\.config\.json$/);
    expect(broken).toMatch(/^\s+broken\s+extends unknown "base"\s+\(not set\)\s+\.\/togo\.config\.json$/);
  });
});
