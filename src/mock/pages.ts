/**
 * The emulator's HTML. Self-contained on purpose: no web fonts or scripts from elsewhere, so pages
 * load offline and a test browser that blocks non-loopback requests never stalls.
 */
import { escapeHtml } from '../http/html.js';

const STYLE = `body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;padding:40px 16px;color:#1d2433}
main{max-width:420px;margin:0 auto;background:#fff;border-radius:8px;padding:24px 32px;box-shadow:0 1px 3px rgba(0,0,0,.15)}
h1{font-size:1.4em;margin-top:0}label{display:block;margin:12px 0 4px;font-weight:600}
input[type=email],input[type=password],input[type=text]{width:100%;box-sizing:border-box;padding:8px;font-size:1em;border:1px solid #bbb;border-radius:4px}
button{margin-top:16px;width:100%;padding:10px;font-size:1em;border:0;border-radius:4px;background:#0b6bcb;color:#fff;cursor:pointer}
.error{color:#b00020}.muted{color:#666;font-size:.9em}code{word-break:break-all}`;

export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
<p class="muted">togo mock: a local Togo ID emulator for tests.</p>
</main>
</body>
</html>`;
}

export interface LoginFormOptions {
  action: string;
  hidden: Record<string, string>;
  error?: string;
  email?: string;
  clientId?: string;
  /** Emails of the test users, shown as a reminder. */
  emails: string[];
}

export function loginPage(o: LoginFormOptions): string {
  const hidden = Object.entries(o.hidden)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('\n');
  return page(
    'Sign in - Togo ID (emulator)',
    `<h1>Sign in to Togo ID</h1>
${o.clientId ? `<p>to continue to <strong>${escapeHtml(o.clientId)}</strong></p>` : ''}
${o.error ? `<p class="error" role="alert">${escapeHtml(o.error)}</p>` : ''}
<form method="post" action="${escapeHtml(o.action)}" autocomplete="off">
${hidden}
<label for="email">Email</label>
<input id="email" type="email" name="email" required autofocus value="${escapeHtml(o.email ?? '')}">
<label for="password">Password</label>
<input id="password" type="password" name="password" required>
<button type="submit">Sign in</button>
</form>
<p class="muted">Test users: ${o.emails.map(escapeHtml).join(', ')}</p>`,
  );
}

export function errorPage(title: string, message: string, details: Record<string, string> = {}): string {
  const rows = Object.entries(details)
    .map(([k, v]) => `<p><strong>${escapeHtml(k)}</strong>: <code>${escapeHtml(v)}</code></p>`)
    .join('\n');
  return page(title, `<h1>${escapeHtml(title)}</h1>\n<p class="error">${escapeHtml(message)}</p>\n${rows}`);
}

export function infoPage(title: string, message: string, extra = ''): string {
  return page(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>\n${extra}`);
}
