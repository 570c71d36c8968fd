// Login overhead: from the form_post reaching togo's listener to the verified result on stdout, for
// the implicit flow (no request after the callback) and the code flow (one token request).
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { Agent, benchEnv, bin, median, node, root, round, runs, table, warmup } from './lib.mjs';

export const LOGIN_TARGET_MS = 50;

const entities = { '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&lt;': '<', '&gt;': '>', '&amp;': '&' };
const decodeEntities = (s) => s.replace(/&(quot|#39|#x27|lt|gt|amp);/g, (m) => entities[m]);

/** Follows the login URL (the emulator signs in by itself) to the provider's form_post page. */
async function formPostPage(loginUrl, redirectUri) {
  const agent = new Agent();
  let url = loginUrl;
  for (let hop = 0; hop < 15; hop++) {
    const res = await agent.fetch(url);
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url).href;
      if (url.startsWith(redirectUri)) throw new Error(`the provider redirected instead of posting: ${url}`);
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*method="post"[^>]*action="([^"]+)"/i.exec(html)?.[1];
    if (res.status === 200 && action && decodeEntities(action).startsWith(redirectUri)) {
      const form = new URLSearchParams();
      for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\s*\/?>/g)) {
        form.set(m[1], decodeEntities(m[2]));
      }
      return { action: decodeEntities(action), form: form.toString() };
    }
    throw new Error(`stopped at ${url} (HTTP ${res.status}): ${html.slice(0, 200)}`);
  }
  throw new Error('too many redirects');
}

/** togo --debug narrates each request as `GET <url> → 200 (…)`. */
const requestLine = /^(GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH) \S+ → /;

/** One login: start togo, walk to the form_post page, post it, time until the result is out. */
async function loginOnce(issuer, responseType) {
  const child = spawn(
    node,
    [
      bin,
      'login',
      '--env',
      'mock',
      '--response-mode',
      'form_post',
      '--response-type',
      responseType,
      '--debug',
      '--json',
    ],
    { env: { ...benchEnv, TOGO_MOCK_ISSUER: issuer }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  let resultAt = null;
  let postedAt = null;
  let stderrAtPost = 0;
  const exited = new Promise((resolve) =>
    child.on('close', (code) => resolve({ code, at: performance.now() })),
  );
  child.stdout.on('data', (d) => {
    stdout += d;
    if (resultAt === null && postedAt !== null) {
      try {
        JSON.parse(stdout);
        resultAt = performance.now();
      } catch {}
    }
  });
  const ready = new Promise((resolve, reject) => {
    child.stderr.on('data', (d) => {
      stderr += d;
      const url = /^Login URL: (\S+)$/m.exec(stderr)?.[1];
      const redirect = /^Redirect URI: (\S+)/m.exec(stderr)?.[1];
      if (url && redirect) resolve({ url, redirect });
    });
    exited.then(({ code }) =>
      reject(new Error(`togo login exited ${code} early: ${stderr.trim().slice(-300)}`)),
    );
  });
  try {
    const { url, redirect } = await ready;
    const page = await formPostPage(url, redirect);
    stderrAtPost = stderr.length;
    const target = new URL(page.action);
    const answered = new Promise((resolve, reject) => {
      const req = request(
        target,
        {
          method: 'POST',
          agent: false,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(page.form),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        },
      );
      req.on('error', reject);
      postedAt = performance.now();
      req.end(page.form);
    });
    const [{ code, at: exitAt }, status] = await Promise.all([exited, answered]);
    if (code !== 0) throw new Error(`togo login exited ${code}: ${stderr.trim().slice(-300)}`);
    const result = JSON.parse(stdout);
    if (!result.ok) throw new Error('togo login printed ok: false');
    const after = stderr
      .slice(stderrAtPost)
      .split('\n')
      .filter((l) => requestLine.test(l));
    return {
      resultMs: (resultAt ?? exitAt) - postedAt,
      exitMs: exitAt - postedAt,
      listenerStatus: status,
      requestsAfterCallback: after.length,
      requestsAfter: after.map((l) => l.replace(/ → .*/, '')),
    };
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

export async function loginSection() {
  // The emulator, from the built library's public entry (never a chunk by name).
  const { startMockProvider } = await import(join(root, 'dist/index.js'));
  const mock = await startMockProvider({ port: 0, autoLogin: 'joe@m.test' });
  const flows = [
    { name: 'implicit (id_token, form_post)', responseType: 'id_token', expectRequests: 0 },
    { name: 'code (PKCE, form_post)', responseType: 'code', expectRequests: 1 },
  ];
  const samples = new Map(flows.map((f) => [f.name, []]));
  const errors = new Map();
  try {
    for (let i = 0; i < warmup + runs; i++) {
      for (const f of flows) {
        if (errors.has(f.name)) continue;
        try {
          const r = await loginOnce(mock.issuer, f.responseType);
          if (i >= warmup) samples.get(f.name).push(r);
        } catch (e) {
          errors.set(f.name, e.message);
        }
      }
    }
  } finally {
    await mock.close();
  }
  const rows = flows.map((f) => {
    const s = samples.get(f.name);
    const reqs = s.map((r) => r.requestsAfterCallback);
    const resultMs = round(median(s.map((r) => r.resultMs)));
    const requestsOk = s.length > 0 && reqs.every((n) => n === f.expectRequests);
    return {
      name: f.name,
      runs: s.length,
      resultMs,
      exitMs: round(median(s.map((r) => r.exitMs))),
      requestsAfterCallback: s.length ? { min: Math.min(...reqs), max: Math.max(...reqs) } : null,
      requestsSeen: s.at(-1)?.requestsAfter ?? [],
      expectRequests: f.expectRequests,
      target: LOGIN_TARGET_MS,
      verdict: resultMs === null ? 'n/a' : resultMs < LOGIN_TARGET_MS && requestsOk ? 'met' : 'MISSED',
      error: errors.get(f.name) ?? null,
    };
  });
  const reqText = (q) => (q === null ? null : q.min === q.max ? String(q.min) : `${q.min}–${q.max}`);
  const text = [
    `## Login overhead (target < ${LOGIN_TARGET_MS} ms median from the callback to the verified result)`,
    `method: togo login --env mock --response-mode form_post --debug --json as a child, the emulator in this process (auto-login); the bench follows the login URL to the form_post page, then times from its POST to togo's listener until stdout holds the complete JSON result (and until the process exits); requests = --debug request lines after the POST; median of ${runs} interleaved runs`,
    table(
      ['flow', 'result ms', 'exit ms', 'requests after callback', 'target'],
      rows.map((r) => [
        r.name,
        r.resultMs,
        r.exitMs,
        `${reqText(r.requestsAfterCallback) ?? '-'} (expected ${r.expectRequests})`,
        r.error ? `error: ${r.error}` : `< ${LOGIN_TARGET_MS} ms, ${r.expectRequests} requests: ${r.verdict}`,
      ]),
    ),
  ].join('\n');
  return { text, json: { flows: rows } };
}
