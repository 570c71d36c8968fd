import { TogoError } from '../errors.js';
import defaultUsers from './default-users.json' with { type: 'json' };
import type { MockUser, MockUserInfo } from './types.js';

/** The two users that ship with the emulator; both sign in with the password `togo-mock`. */
export const DEFAULT_USERS: readonly MockUser[] = defaultUsers;

function invalid(where: string, problem: string): TogoError {
  return new TogoError('MOCK_USERS_INVALID', `${where}: ${problem}`);
}

function optionalString(u: Record<string, unknown>, key: string, where: string): void {
  if (u[key] !== undefined && typeof u[key] !== 'string')
    throw invalid(`${where}.${key}`, 'must be a string');
}

/**
 * Checks a users file's content (already parsed JSON) and returns it typed. Names the first
 * problem by its path, e.g. `users[1].email`, so a user can find it in the file.
 */
export function validateUsers(input: unknown, source = 'users'): MockUser[] {
  if (!Array.isArray(input)) throw invalid(source, 'must be a JSON array of users');
  if (input.length === 0) throw invalid(source, 'must hold at least one user');
  const seenSub = new Set<string>();
  const seenEmail = new Set<string>();
  return input.map((raw, i) => {
    const where = `${source}[${i}]`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      throw invalid(where, 'must be an object');
    const u = raw as Record<string, unknown>;
    for (const key of ['sub', 'email', 'password'] as const) {
      if (typeof u[key] !== 'string' || u[key] === '')
        throw invalid(`${where}.${key}`, 'is required (a string)');
    }
    const sub = u.sub as string;
    const email = (u.email as string).toLowerCase();
    // OpenID Connect Core §2: sub is at most 255 ASCII characters.
    if (sub.length > 255 || !/^[\x21-\x7e]+$/.test(sub)) {
      throw invalid(`${where}.sub`, 'must be 1 to 255 printable ASCII characters');
    }
    if (!email.includes('@')) throw invalid(`${where}.email`, `"${u.email}" is not an email address`);
    if (seenSub.has(sub)) throw invalid(`${where}.sub`, `"${sub}" is used by another user`);
    if (seenEmail.has(email)) throw invalid(`${where}.email`, `"${u.email}" is used by another user`);
    seenSub.add(sub);
    seenEmail.add(email);
    for (const key of ['given_name', 'family_name', 'name']) optionalString(u, key, where);
    if (u.email_verified !== undefined && typeof u.email_verified !== 'boolean') {
      throw invalid(`${where}.email_verified`, 'must be true or false');
    }
    if (u.user !== undefined && typeof u.user !== 'string') validateUserClaim(u.user, `${where}.user`);
    return u as unknown as MockUser;
  });
}

function validateUserClaim(claim: unknown, where: string): void {
  if (claim === null || typeof claim !== 'object' || Array.isArray(claim)) {
    throw invalid(where, 'must be an object {id, organizations} or a string sent as it is');
  }
  const c = claim as Record<string, unknown>;
  if (typeof c.id !== 'string') throw invalid(`${where}.id`, 'is required (the profile id, a string)');
  if (!Array.isArray(c.organizations)) throw invalid(`${where}.organizations`, 'must be an array');
  c.organizations.forEach((m: unknown, i: number) => {
    const at = `${where}.organizations[${i}]`;
    const org = (m as { organization?: { id?: unknown; name?: unknown } } | null)?.organization;
    if (typeof org?.id !== 'string' || typeof org.name !== 'string') {
      throw invalid(`${at}.organization`, 'needs an id and a name');
    }
    const roles = (m as { roles?: unknown }).roles;
    if (roles !== undefined && !Array.isArray(roles)) throw invalid(`${at}.roles`, 'must be an array');
  });
}

/** The claims Togo ID puts in tokens and userinfo for this user; `user` is a JSON string. */
export function userClaims(u: MockUser): Record<string, unknown> {
  const name = u.name ?? ([u.given_name, u.family_name].filter(Boolean).join(' ') || undefined);
  return {
    sub: u.sub,
    email: u.email,
    email_verified: u.email_verified ?? true,
    given_name: u.given_name,
    family_name: u.family_name,
    name,
    user: u.user === undefined || typeof u.user === 'string' ? u.user : JSON.stringify(u.user),
  };
}

export function findUserByEmail(users: readonly MockUser[], email: string): MockUser | undefined {
  const wanted = email.trim().toLowerCase();
  return users.find((u) => u.email.toLowerCase() === wanted);
}

/** What `togo mock` prints about a user. */
export function describeUser(u: MockUser): MockUserInfo {
  const organizations =
    typeof u.user === 'object'
      ? u.user.organizations.map((m) => {
          const roles = (m.roles ?? []).map((r) => r.role.name);
          const what = [m.isAdministrator ? 'administrator' : '', ...roles].filter(Boolean).join(', ');
          return what ? `${m.organization.name} (${what})` : m.organization.name;
        })
      : [];
  const name = userClaims(u).name as string | undefined;
  return { sub: u.sub, email: u.email, password: u.password, ...(name ? { name } : {}), organizations };
}
