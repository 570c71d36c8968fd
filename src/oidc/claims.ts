/**
 * Claim knowledge: which scope releases a standard claim (OIDC Core §5.4), and how to expand the
 * custom claims of Togo ID, Logto and the dashboard provider into readable structures. Claims a
 * client does not understand must be ignored (Core §2), so a malformed custom claim only warns.
 */
import { limitDepth } from './depth.js';

/** Standard claims and the scope that releases them (OIDC Core §5.4); protocol claims are "protocol". */
export const CLAIM_SCOPE: Readonly<Record<string, string>> = {
  sub: 'openid',
  ...Object.fromEntries(
    [
      'name',
      'family_name',
      'given_name',
      'middle_name',
      'nickname',
      'preferred_username',
      'profile',
      'picture',
      'website',
      'gender',
      'birthdate',
      'zoneinfo',
      'locale',
      'updated_at',
    ].map((c) => [c, 'profile']),
  ),
  email: 'email',
  email_verified: 'email',
  phone_number: 'phone',
  phone_number_verified: 'phone',
  address: 'address',
  ...Object.fromEntries(
    [
      'iss',
      'aud',
      'exp',
      'iat',
      'nbf',
      'auth_time',
      'nonce',
      'acr',
      'amr',
      'azp',
      'at_hash',
      'c_hash',
      'sid',
      'jti',
    ].map((c) => [c, 'protocol']),
  ),
};

/** Scopes of providers in the field whose custom claims togo knows. */
const CUSTOM_CLAIM_SCOPE: Readonly<Record<string, string>> = {
  user: 'custom (Togo ID)',
  organizations: 'urn:logto:scope:organizations',
  organization_data: 'urn:logto:scope:organizations',
  organization_roles: 'urn:logto:scope:organization_roles',
  roles: 'roles',
  custom_data: 'custom_data',
  identities: 'identities',
  sso_identities: 'identities',
  tenant_name: 'tenant',
  tenant_sub: 'tenant',
};

/** The scope (or "protocol" for claims every ID token has) that releases a claim, when togo knows it. */
export function claimScope(claim: string): string | undefined {
  // Own properties only: a claim named "constructor" is not Object.prototype's.
  if (Object.hasOwn(CLAIM_SCOPE, claim)) return CLAIM_SCOPE[claim];
  return Object.hasOwn(CUSTOM_CLAIM_SCOPE, claim) ? CUSTOM_CLAIM_SCOPE[claim] : undefined;
}

export interface Organization {
  id?: string;
  name?: string;
  isAdministrator: boolean;
  roles: string[];
}

export type Expansion =
  | {
      kind: 'togo-user';
      claim: string;
      fromJsonString: boolean;
      profileId?: string;
      organizations: Organization[];
    }
  | { kind: 'logto-organizations'; claim: string; organizations: Organization[] }
  | { kind: 'roles'; claim: string; roles: string[] }
  | { kind: 'tenant'; claim: string; tenantName?: string; tenantSub?: string | number }
  | { kind: 'json'; claim: string; fromJsonString: boolean; value: unknown };

export interface ClaimExpansion {
  expanded: Record<string, Expansion>;
  warnings: string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function parseJsonString(value: string): { ok: true; value: unknown } | { ok: false } {
  const t = value.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return { ok: false };
  try {
    // A claim holding JSON in a string is cut at the same depth as the token's own claims.
    return { ok: true, value: limitDepth(JSON.parse(t)).value };
  } catch {
    return { ok: false };
  }
}

/** Togo ID's `user` claim: `{id, organizations:[{isAdministrator?, organization:{id,name}, roles:[{role:{id,name}}]}]}`. */
function expandTogoUser(claim: string, raw: unknown, warnings: string[]): Expansion | undefined {
  let value = raw;
  let fromJsonString = false;
  if (typeof raw === 'string') {
    const parsed = parseJsonString(raw);
    if (!parsed.ok) {
      warnings.push(`claim "${claim}" is not the JSON-serialised object Togo ID sends; shown as it is`);
      return undefined;
    }
    value = parsed.value;
    fromJsonString = true;
  }
  if (!isRecord(value)) {
    warnings.push(`claim "${claim}" is not an object; shown as it is`);
    return undefined;
  }
  const orgs = value.organizations;
  if (orgs !== undefined && !Array.isArray(orgs)) {
    warnings.push(`claim "${claim}": organizations is not an array; shown as JSON`);
    return { kind: 'json', claim, fromJsonString, value };
  }
  const organizations: Organization[] = [];
  for (const [i, entry] of (orgs ?? []).entries()) {
    if (!isRecord(entry)) {
      warnings.push(`claim "${claim}": organizations[${i}] is not an object; skipped`);
      continue;
    }
    const org = isRecord(entry.organization) ? entry.organization : {};
    const roles: string[] = [];
    if (Array.isArray(entry.roles)) {
      for (const r of entry.roles) {
        const role = isRecord(r) && isRecord(r.role) ? r.role : isRecord(r) ? r : undefined;
        const name = str(role?.name) ?? str(role?.id) ?? (typeof r === 'string' ? r : undefined);
        if (name) roles.push(name);
        else warnings.push(`claim "${claim}": organizations[${i}] has a role without a name; skipped`);
      }
    } else if (entry.roles !== undefined) {
      warnings.push(`claim "${claim}": organizations[${i}].roles is not an array; ignored`);
    }
    organizations.push({
      id: str(org.id),
      name: str(org.name),
      isAdministrator: entry.isAdministrator === true,
      roles,
    });
  }
  return { kind: 'togo-user', claim, fromJsonString, profileId: str(value.id), organizations };
}

/** Logto: `organizations` (ids), `organization_data` ([{id,name}]), `organization_roles` ("orgId:role"). */
function expandLogtoOrganizations(
  payload: Record<string, unknown>,
  warnings: string[],
): Expansion | undefined {
  const byId = new Map<string, Organization>();
  const get = (id: string) => {
    let org = byId.get(id);
    if (!org) {
      org = { id, isAdministrator: false, roles: [] };
      byId.set(id, org);
    }
    return org;
  };
  const { organizations, organization_data: data, organization_roles: roles } = payload;
  if (Array.isArray(organizations)) {
    for (const id of organizations) {
      if (typeof id === 'string') get(id);
      else warnings.push('claim "organizations" holds a value that is not an organization id; skipped');
    }
  }
  if (Array.isArray(data)) {
    for (const d of data) {
      if (isRecord(d) && typeof d.id === 'string') {
        const org = get(d.id);
        org.name = str(d.name) ?? org.name;
      }
    }
  }
  if (Array.isArray(roles)) {
    for (const r of roles) {
      const m = typeof r === 'string' ? /^([^:]+):(.+)$/.exec(r) : null;
      if (m) get(m[1]!).roles.push(m[2]!);
      else warnings.push(`claim "organization_roles" holds ${JSON.stringify(r)}, not "orgId:role"; skipped`);
    }
  }
  if (byId.size === 0) return undefined;
  return { kind: 'logto-organizations', claim: 'organizations', organizations: [...byId.values()] };
}

/**
 * Expands every claim that carries structure: Togo's `user`, Logto's organizations and roles, the
 * dashboard provider's tenant, and any other claim whose string value is a JSON object or array.
 */
export function expandClaims(payload: Record<string, unknown>): ClaimExpansion {
  const expanded: Record<string, Expansion> = {};
  const warnings: string[] = [];

  if (payload.user !== undefined) {
    const e = expandTogoUser('user', payload.user, warnings);
    if (e) expanded.user = e;
  }
  const logto = expandLogtoOrganizations(payload, warnings);
  if (logto) expanded.organizations = logto;
  if (Array.isArray(payload.roles)) {
    const roles = payload.roles.filter((r): r is string => typeof r === 'string');
    if (roles.length !== payload.roles.length)
      warnings.push('claim "roles" holds values that are not strings; skipped');
    expanded.roles = { kind: 'roles', claim: 'roles', roles };
  }
  if (payload.tenant_name !== undefined || payload.tenant_sub !== undefined) {
    const sub = payload.tenant_sub;
    expanded.tenant = {
      kind: 'tenant',
      claim: 'tenant_name',
      tenantName: str(payload.tenant_name),
      tenantSub: typeof sub === 'string' || typeof sub === 'number' ? sub : undefined,
    };
  }
  if (payload.custom_data !== undefined) {
    const raw = payload.custom_data;
    const parsed = typeof raw === 'string' ? parseJsonString(raw) : { ok: true as const, value: raw };
    expanded.custom_data = {
      kind: 'json',
      claim: 'custom_data',
      fromJsonString: typeof raw === 'string' && parsed.ok,
      value: parsed.ok ? parsed.value : raw,
    };
  }
  for (const [claim, value] of Object.entries(payload)) {
    if (Object.hasOwn(expanded, claim) || claim === 'user' || typeof value !== 'string') continue;
    const parsed = parseJsonString(value);
    if (parsed.ok) {
      // defineProperty: a claim named "__proto__" becomes an own entry, not the object's prototype.
      Object.defineProperty(expanded, claim, {
        value: { kind: 'json', claim, fromJsonString: true, value: parsed.value },
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return { expanded, warnings };
}

/**
 * Reads one value by a dotted path such as `user.organizations.0.organization.name`. Claims that
 * hold JSON in a string are walked into as if they were objects.
 */
export function claimAtPath(
  payload: Record<string, unknown>,
  path: string,
): { found: boolean; value?: unknown } {
  const segments = path.split('.').filter((s) => s !== '');
  let current: unknown = payload;
  for (const segment of segments) {
    if (typeof current === 'string') {
      const parsed = parseJsonString(current);
      if (!parsed.ok) return { found: false };
      current = parsed.value;
    }
    if (Array.isArray(current)) {
      const i = Number(segment);
      if (!Number.isInteger(i) || i < 0 || i >= current.length) return { found: false };
      current = current[i];
    } else if (isRecord(current) && Object.hasOwn(current, segment)) {
      current = current[segment];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: current };
}
