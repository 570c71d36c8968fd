/** Bearer token error responses (RFC 6750). */

/** `error="invalid_token", error_description="…"` from a WWW-Authenticate header (RFC 6750 §3). */
export function bearerError(header: string | undefined): { error?: string; description?: string } {
  if (!header) return {};
  const get = (name: string) => new RegExp(`${name}="([^"]*)"`, 'i').exec(header)?.[1];
  const error = get('error');
  const description = get('error_description');
  return { ...(error ? { error } : {}), ...(description ? { description } : {}) };
}
