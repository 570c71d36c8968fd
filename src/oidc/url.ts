/**
 * URL helpers shared by the URL inspector, the discovery linter and the login URL composer: the
 * loopback rule, and splitting a URL's raw text without normalising it (so encoding mistakes stay
 * visible). Pure.
 */

/** A loopback host as URL.hostname gives it: localhost, 127.0.0.0/8, [::1] (RFC 8252 §7.3). */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || /^127(\.\d{1,3}){3}$/.test(hostname) || hostname === '[::1]';
}

export interface RawPair {
  rawName: string;
  rawValue: string;
  /** Where the value starts in the query string. */
  valueOffset: number;
}

/** Splits a URL's raw text into the path, query (without `?`) and fragment. */
export function splitRaw(url: string): { path: string; query: string } {
  const hash = url.indexOf('#');
  const noFragment = hash < 0 ? url : url.slice(0, hash);
  const q = noFragment.indexOf('?');
  return q < 0
    ? { path: noFragment.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, ''), query: '' }
    : {
        path: noFragment.slice(0, q).replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, ''),
        query: noFragment.slice(q + 1),
      };
}

export function splitQuery(query: string): RawPair[] {
  const out: RawPair[] = [];
  let offset = 0;
  for (const part of query.split('&')) {
    if (part !== '') {
      const eq = part.indexOf('=');
      out.push({
        rawName: eq < 0 ? part : part.slice(0, eq),
        rawValue: eq < 0 ? '' : part.slice(eq + 1),
        valueOffset: offset + (eq < 0 ? part.length : eq + 1),
      });
    }
    offset += part.length + 1;
  }
  return out;
}

/** application/x-www-form-urlencoded decoding (`+` is a space); undefined for bad percent-encoding. */
export function formDecode(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
