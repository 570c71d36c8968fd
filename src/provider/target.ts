import { TogoError } from '../errors.js';

/**
 * Which provider a command talks to: the argument, then --issuer, then TOGO_ISSUER. Kept in one small
 * function so the shared configuration (environments such as togo-staging) can take its place.
 */
export function resolveIssuer(
  arg: string | undefined,
  flags: { issuer?: string },
  env: Record<string, string | undefined>,
  command = 'discover',
): string {
  const issuer = arg ?? flags.issuer ?? (env.TOGO_ISSUER || undefined);
  if (!issuer) {
    throw new TogoError('USAGE', 'no issuer given', {
      hint: `Pass it: \`togo ${command} https://id2.runswithtogo.com/identity\` (or --issuer, or set TOGO_ISSUER).`,
    });
  }
  return issuer;
}
