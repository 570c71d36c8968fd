import { describe, expect, it } from 'vitest';
import { claimAtPath, claimScope, expandClaims } from '../../src/oidc/claims.js';
import { decodeToken } from '../../src/oidc/token.js';
import { SEED_TOKEN } from '../helpers/tokens.js';

describe("expanding Togo ID's user claim", () => {
  it('shows the seed user with Joe Marsh (administrator, no roles) and Airstream (Campervan Owner)', () => {
    const { expanded, warnings } = expandClaims(decodeToken(SEED_TOKEN).payload);
    expect(warnings).toEqual([]);
    expect(expanded.user).toEqual({
      kind: 'togo-user',
      claim: 'user',
      fromJsonString: true,
      profileId: 'de7b350e-0ef2-450e-b2ae-24aca70d8a33',
      organizations: [
        { id: '09b3b974-dded-45a3-aa96-ad505c1b9cd9', name: 'Joe Marsh', isAdministrator: true, roles: [] },
        {
          id: '22c981b2-3a31-4272-b7f4-f57d3c14ed88',
          name: 'Airstream',
          isAdministrator: false,
          roles: ['Campervan Owner'],
        },
      ],
    });
  });

  it('accepts the user claim as an object as well as a JSON string', () => {
    const { expanded } = expandClaims({
      user: {
        id: 'p1',
        organizations: [
          { organization: { id: 'o1', name: 'Org' }, roles: [{ role: { id: 'r', name: 'Driver' } }] },
        ],
      },
    });
    expect(expanded.user).toMatchObject({
      fromJsonString: false,
      profileId: 'p1',
      organizations: [{ name: 'Org', roles: ['Driver'] }],
    });
  });

  it.each([
    ['a string that is not JSON', 'not json at all', /not the JSON-serialised object/],
    ['JSON that is not an object', '[1,2]', /is not an object/],
    [
      'organizations that are not an array',
      '{"id":"x","organizations":"nope"}',
      /organizations is not an array/,
    ],
    [
      'an organization entry that is not an object',
      '{"organizations":[42]}',
      /organizations\[0\] is not an object/,
    ],
  ])('warns, never crashes, on %s', (_name, user, warning) => {
    const { warnings } = expandClaims({ user });
    expect(warnings.join('\n')).toMatch(warning);
  });
});

describe("expanding other providers' claims", () => {
  it("groups Logto's organizations, organization data and orgId:role pairs by organization", () => {
    const { expanded, warnings } = expandClaims({
      organizations: ['org1', 'org2'],
      organization_data: [{ id: 'org1', name: 'Acme' }],
      organization_roles: ['org1:admin', 'org2:viewer', 'org1:billing'],
      roles: ['editor'],
    });
    expect(warnings).toEqual([]);
    expect(expanded.organizations).toEqual({
      kind: 'logto-organizations',
      claim: 'organizations',
      organizations: [
        { id: 'org1', name: 'Acme', isAdministrator: false, roles: ['admin', 'billing'] },
        { id: 'org2', isAdministrator: false, roles: ['viewer'] },
      ],
    });
    expect(expanded.roles).toEqual({ kind: 'roles', claim: 'roles', roles: ['editor'] });
  });

  it('warns about an organization role that is not orgId:role', () => {
    expect(expandClaims({ organization_roles: ['justarole'] }).warnings[0]).toMatch(/not "orgId:role"/);
  });

  it("reads the dashboard provider's tenant claims, numeric sub included", () => {
    expect(expandClaims({ tenant_name: 'Organization Name', tenant_sub: 1 }).expanded.tenant).toEqual({
      kind: 'tenant',
      claim: 'tenant_name',
      tenantName: 'Organization Name',
      tenantSub: 1,
    });
  });

  it('expands custom_data and any other claim holding JSON in a string, marked as such', () => {
    const { expanded } = expandClaims({
      custom_data: { plan: 'pro' },
      prefs: '{"theme":"dark"}',
      note: '{not json',
    });
    expect(expanded.custom_data).toEqual({
      kind: 'json',
      claim: 'custom_data',
      fromJsonString: false,
      value: { plan: 'pro' },
    });
    expect(expanded.prefs).toEqual({
      kind: 'json',
      claim: 'prefs',
      fromJsonString: true,
      value: { theme: 'dark' },
    });
    expect(expanded.note).toBeUndefined();
  });
});

describe('labelling claims with their scope', () => {
  it.each([
    ['email', 'email'],
    ['email_verified', 'email'],
    ['given_name', 'profile'],
    ['updated_at', 'profile'],
    ['phone_number', 'phone'],
    ['address', 'address'],
    ['sub', 'openid'],
    ['nonce', 'protocol'],
  ])('%s comes with the %s scope', (claim, scope) => {
    expect(claimScope(claim)).toBe(scope);
  });
});

describe('reading one claim by path', () => {
  const payload = decodeToken(SEED_TOKEN).payload;
  it('walks into the JSON string of the user claim', () => {
    expect(claimAtPath(payload, 'user.organizations.1.organization.name')).toEqual({
      found: true,
      value: 'Airstream',
    });
    expect(claimAtPath(payload, 'user.organizations.0.isAdministrator')).toEqual({
      found: true,
      value: true,
    });
  });
  it('finds top-level claims and reports missing ones', () => {
    expect(claimAtPath(payload, 'email')).toEqual({ found: true, value: 'joe@m.test' });
    expect(claimAtPath(payload, 'user.organizations.5')).toEqual({ found: false });
    expect(claimAtPath(payload, 'email.x')).toEqual({ found: false });
  });
});
