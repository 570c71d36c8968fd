/**
 * Which URLs togo hands to a browser: the login URL, the device flow's verification URI, the
 * end-session URL. Parts of them come from a provider (or a config file), so each is checked
 * before it leaves togo: `https:`, or `http:` to this machine only (a loopback redirect or a local
 * emulator); never a value that a browser command could read as an option.
 */

export type OpenableUrl = { ok: true; href: string } | { ok: false; reason: string };

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

/** 127.0.0.0/8, ::1 and localhost (RFC 8252 §7.3, RFC 6761 §6.3). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  if (LOOPBACK_HOSTS.has(h) || h.endsWith('.localhost')) return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * The URL as togo will hand it over (the parsed, serialised form), or why it will not. The raw
 * text is judged too: a value beginning with `-` is refused even if it would parse.
 */
export function openableUrl(raw: string): OpenableUrl {
  const text = raw.trim();
  if (text.startsWith('-')) return { ok: false, reason: 'it begins with "-", as a command-line option does' };
  if (!URL.canParse(text)) return { ok: false, reason: 'it is not an absolute URL' };
  const url = new URL(text);
  if (url.protocol === 'https:') return { ok: true, href: url.href };
  if (url.protocol === 'http:') {
    return isLoopbackHost(url.hostname)
      ? { ok: true, href: url.href }
      : {
          ok: false,
          reason: `it is plain http to ${url.hostname}; only https, or http to this machine, is opened`,
        };
  }
  return {
    ok: false,
    reason: `its scheme is ${url.protocol}; only https, or http to this machine, is opened`,
  };
}

/**
 * Browser commands known to take `--` as the end of their options (Chromium and its family), so
 * that the URL after it can never be read as a switch. Others get the URL alone, already checked.
 */
export function acceptsEndOfOptions(command: string): boolean {
  const name = command.split(/[\\/]/).pop()?.toLowerCase() ?? '';
  return /chrom|chrome|brave|msedge|microsoft-edge|vivaldi|opera/.test(name);
}
