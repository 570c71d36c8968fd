import { TogoError } from '../errors.js';

/**
 * Turns what undici and Node's sockets throw into togo's closed list of network codes, each with a
 * hint a user can act on. Pure: no IO, so it is tested without a network.
 */

/**
 * The first ~200 characters of a body, on one line, for messages. An HTML page (an error page, a
 * login page, a proxy's notice) is never shown raw: its title or first words stand for it.
 */
export function snippet(text: string, max = 200): string {
  if (looksLikeHtml(text)) return `an HTML page: ${htmlWords(text, Math.min(max, 80))}`;
  const line = text.replace(/\s+/g, ' ').trim();
  if (line === '') return '(empty body)';
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

function looksLikeHtml(text: string): boolean {
  return /^\s*(?:<\?xml[^>]*>\s*)?<(?:!doctype\s+html|html|head|body)\b/i.test(text);
}

/** The title of a page, else its first visible words, as plain text. */
function htmlWords(html: string, max: number): string {
  const decode = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;|&apos;/g, "'")
      .replace(/&nbsp;/g, ' ')
      .replace(/&amp;/g, '&');
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  const words = (title && title.trim() !== '' ? title : html)
    .replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ');
  const line = decode(words).replace(/\s+/g, ' ').trim();
  if (line === '') return '(no text)';
  return `"${line.length > max ? `${line.slice(0, max)}…` : line}"`;
}

/** Sizes for narration: "812 B", "1.2 kB", "3.4 MB". */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)} kB`;
  return `${(n / 1_000_000).toFixed(1)} MB`;
}

export function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

interface ErrnoLike {
  code?: unknown;
  message?: unknown;
  reason?: unknown;
  cause?: unknown;
  name?: unknown;
}

/** undici wraps socket errors (sometimes twice); the useful code is somewhere down the cause chain. */
function codesOf(error: unknown): { codes: string[]; messages: string[] } {
  const codes: string[] = [];
  const messages: string[] = [];
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e && typeof e === 'object'; depth++) {
    const err = e as ErrnoLike;
    if (typeof err.code === 'string') codes.push(err.code);
    if (typeof err.name === 'string' && err.name === 'AbortError') codes.push('ABORT');
    if (typeof err.message === 'string') messages.push(err.message);
    e = err.cause;
  }
  return { codes, messages };
}

/** What each TLS verification failure means, and what to do about it. */
const TLS_PROBLEMS: Record<string, { problem: string; hint: string }> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: {
    problem: 'the certificate is self-signed',
    hint: 'If you trust it, pass --ca <file> with that certificate (PEM), or set NODE_EXTRA_CA_CERTS.',
  },
  SELF_SIGNED_CERT_IN_CHAIN: {
    problem: 'the certificate chain ends in a self-signed certificate that is not trusted (a private CA?)',
    hint: "Pass --ca <file> with your organisation's CA certificate (PEM), or set NODE_EXTRA_CA_CERTS.",
  },
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: {
    problem: 'the certificate was issued by an unknown certificate authority',
    hint: 'Pass --ca <file> with the CA certificate (PEM), or set NODE_EXTRA_CA_CERTS; or the server omits its intermediate certificates.',
  },
  UNABLE_TO_GET_ISSUER_CERT: {
    problem: 'the certificate was issued by an unknown certificate authority',
    hint: 'Pass --ca <file> with the CA certificate (PEM), or set NODE_EXTRA_CA_CERTS.',
  },
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: {
    problem: 'the certificate was issued by an unknown certificate authority',
    hint: 'Pass --ca <file> with the CA certificate (PEM), or set NODE_EXTRA_CA_CERTS (a proxy that inspects TLS?).',
  },
  CERT_HAS_EXPIRED: {
    problem: 'the certificate has expired',
    hint: "The provider must renew its certificate; also check this machine's clock.",
  },
  CERT_NOT_YET_VALID: {
    problem: 'the certificate is not valid yet',
    hint: "Check this machine's clock.",
  },
  ERR_TLS_CERT_ALTNAME_INVALID: {
    problem: 'the certificate does not name this host (hostname mismatch)',
    hint: 'Check the host in the URL; the certificate was issued for another name.',
  },
  CERT_REVOKED: {
    problem: 'the certificate has been revoked',
    hint: 'The provider must replace its certificate.',
  },
};

export type TimeoutPhase = 'connect' | 'headers' | 'body';

export function timeoutError(
  url: string,
  phase: TimeoutPhase,
  timeoutMs: number,
  cause?: unknown,
): TogoError {
  const limit = formatSeconds(timeoutMs);
  const what = {
    connect: `connecting took longer than ${limit} (connect timeout)`,
    headers: `no response within ${limit} (headers timeout)`,
    body: `the response body did not arrive within ${limit} (body timeout)`,
  }[phase];
  return new TogoError('NET_TIMEOUT', `${url}: ${what}`, {
    cause,
    hint: `The server is slow or does not answer; raise --timeout (now ${timeoutMs / 1000}) or check the URL.`,
    details: { url, phase, timeoutMs },
  });
}

/** Maps a failed request to its TogoError. */
export function networkError(error: unknown, url: string, timeoutMs: number): TogoError {
  if (error instanceof TogoError) return error;
  const { codes, messages } = codesOf(error);
  const has = (...cs: string[]) => cs.find((c) => codes.includes(c));
  const host = safeHost(url);
  const first = messages[messages.length - 1] ?? String(error);

  if (has('UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT')) return timeoutError(url, 'connect', timeoutMs, error);
  if (has('UND_ERR_HEADERS_TIMEOUT')) return timeoutError(url, 'headers', timeoutMs, error);
  if (has('UND_ERR_BODY_TIMEOUT')) return timeoutError(url, 'body', timeoutMs, error);
  if (has('UND_ERR_ABORTED', 'UND_ERR_ABORT', 'ABORT_ERR', 'ABORT')) {
    return new TogoError('INTERRUPTED', `request to ${url} interrupted`, { cause: error });
  }
  if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL')) {
    const temporary = codes.includes('EAI_AGAIN');
    return new TogoError(
      'NET_DNS',
      `cannot resolve ${host}${temporary ? ' (DNS did not answer)' : ' (no such host)'}`,
      {
        cause: error,
        details: { url, host },
        hint: temporary
          ? 'DNS did not answer: check the network, your DNS or HTTPS_PROXY settings, then try again.'
          : 'Check the host name for typos; behind a proxy, set HTTPS_PROXY.',
      },
    );
  }
  if (has('ECONNREFUSED')) {
    return new TogoError('NET_REFUSED', `connection to ${host} refused`, {
      cause: error,
      details: { url, host },
      hint: 'Nothing listens there: check the host and port, or start the server (`togo mock` for a local one).',
    });
  }
  const tls = has(...Object.keys(TLS_PROBLEMS));
  if (tls) {
    const spec = TLS_PROBLEMS[tls]!;
    return new TogoError('NET_TLS', `TLS to ${host} failed: ${spec.problem}`, {
      cause: error,
      hint: spec.hint,
      details: { url, host, tlsCode: tls },
    });
  }
  const sslCode = codes.find((c) => c.startsWith('ERR_SSL_') || c.startsWith('ERR_TLS_') || c === 'EPROTO');
  if (sslCode) {
    return new TogoError('NET_TLS', `TLS to ${host} failed: ${first}`, {
      cause: error,
      hint: 'The TLS handshake failed: does the server speak https on that port (or only http)?',
      details: { url, host, tlsCode: sslCode },
    });
  }
  if (has('ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED')) {
    return new TogoError('NET_RESET', `${host} closed the connection before answering`, {
      cause: error,
      details: { url, host },
    });
  }
  if (has('UND_ERR_PRX_TLS')) {
    return new TogoError('NET_TLS', `TLS to the proxy failed: ${first}`, { cause: error, details: { url } });
  }
  if (has('EHOSTUNREACH', 'ENETUNREACH')) {
    return new TogoError('NET_ERROR', `${host} is unreachable (${codes[0]})`, {
      cause: error,
      details: { url, host },
      hint: 'Check the network connection, a VPN, or HTTPS_PROXY.',
    });
  }
  return new TogoError('NET_ERROR', `request to ${url} failed: ${first}`, {
    cause: error,
    details: { url, codes },
  });
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
