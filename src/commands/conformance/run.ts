/**
 * `togo conformance`: one emulator and one browser for the whole run; a control login, then each
 * fault for one login with a control login after it; a report of what the application accepted.
 */
import { lstatSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { TogoError } from '../../errors.js';
import { validateClientsShape } from '../../mock/clients.js';
import {
  type Expected,
  expectedOutcome,
  fault,
  LOGIN_FAULT_NAMES,
  type LoginFlow,
  parseFaults,
} from '../../mock/faults.js';
import type { FaultName, MockClientMetadata, MockProvider } from '../../mock/types.js';
import { DEFAULT_USERS, findUserByEmail } from '../../mock/users.js';
import { githubAnnotations, renderJunit } from '../../ui/check-report.js';
import {
  type ConformanceCase,
  type ConformanceReport,
  conformanceChecks,
  renderConformance,
} from '../../ui/conformance.js';
import { t } from '../../ui/safe.js';
import type { Ctx } from '../shared/context.js';
import { writeSecretFile } from '../shared/files.js';
import type { ConformanceFlags } from './command.js';
import { type Attempt, attemptLogin, launchChromium, type SuccessRule } from './drive.js';

interface Plan {
  startUrl: string;
  success: SuccessRule;
  faults: FaultName[];
  clients: MockClientMetadata[] | undefined;
}

/** Everything a user can get wrong, checked before the emulator or the browser starts. */
async function plan(ctx: Ctx, flags: ConformanceFlags): Promise<Plan> {
  const startUrl = startUrlOf(flags);
  const success = successRule(flags);
  if (!findUserByEmail(DEFAULT_USERS, flags.user)) {
    throw new TogoError('USAGE', `--user ${flags.user}: no such user`, {
      hint: `Use the email of one of the emulator's users: ${DEFAULT_USERS.map((u) => u.email).join(', ')}.`,
    });
  }
  if (flags.port > 65535) throw new TogoError('USAGE', `--port takes 0 to 65535, not ${flags.port}`);
  const names = faultNames(flags);
  const clients = flags.clients ? await readClients(ctx, flags.clients) : undefined;
  if (flags.junit) refuseOddTarget(resolve(ctx.cwd, flags.junit));
  return { startUrl, success, faults: parseFaults(names), clients };
}

/** --start-url: given, and an http(s) URL. */
function startUrlOf(flags: ConformanceFlags): string {
  if (!flags.startUrl) {
    throw new TogoError(
      'USAGE',
      'conformance needs --start-url, the page of your application that starts a login',
      {
        hint: 'e.g. togo conformance --start-url http://127.0.0.1:5055/login --success-text "Signed in as"',
      },
    );
  }
  let start: URL;
  try {
    start = new URL(flags.startUrl);
  } catch {
    start = new URL('invalid:');
  }
  if (start.protocol !== 'http:' && start.protocol !== 'https:') {
    throw new TogoError('USAGE', `--start-url takes an http(s) URL, not "${flags.startUrl}"`, {
      hint: 'The address of the page that starts a login, e.g. http://127.0.0.1:5055/login.',
    });
  }
  return start.href;
}

/** How a signed-in page is told: --success-text, --success-url, or both. */
function successRule(flags: ConformanceFlags): SuccessRule {
  if (flags.successText === undefined && flags.successUrl === undefined) {
    throw new TogoError(
      'USAGE',
      'conformance needs --success-text or --success-url to tell a signed-in page',
      {
        hint: 'Give text your application shows a signed-in user, e.g. --success-text "Signed in as".',
      },
    );
  }
  if (flags.successText !== undefined && flags.successText.trim() === '') {
    throw new TogoError('USAGE', '--success-text is empty: every page would count as signed in');
  }
  let url: RegExp | undefined;
  if (flags.successUrl !== undefined) {
    try {
      url = new RegExp(flags.successUrl);
    } catch (error) {
      throw new TogoError('USAGE', `--success-url is not a regular expression: ${(error as Error).message}`);
    }
  }
  return {
    ...(flags.successText !== undefined ? { text: flags.successText } : {}),
    ...(url ? { url } : {}),
  };
}

/** The faults --faults names (every login fault without it); at least one. */
function faultNames(flags: ConformanceFlags): readonly string[] {
  const names =
    flags.faults === undefined
      ? LOGIN_FAULT_NAMES
      : flags.faults
          .split(',')
          .map((n) => n.trim())
          .filter((n) => n !== '');
  if (names.length === 0) {
    throw new TogoError('USAGE', '--faults names no fault', { hint: '`togo mock --help` lists the faults.' });
  }
  return names;
}

/** The JUnit file is written at the end; a target it would refuse then is refused before the run. */
function refuseOddTarget(path: string): void {
  let stats: ReturnType<typeof lstatSync> | undefined;
  try {
    stats = lstatSync(path);
  } catch {
    return; // absent, or unreadable: the write at the end reports it
  }
  if (stats.isSymbolicLink() || !stats.isFile()) {
    throw new TogoError(
      'OUTPUT_REFUSED',
      `togo does not write the JUnit report to ${path}: it is ${stats.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}`,
    );
  }
}

async function readClients(ctx: Ctx, file: string): Promise<MockClientMetadata[]> {
  let text: string;
  try {
    text = await readFile(resolve(ctx.cwd, file), 'utf8');
  } catch (error) {
    throw new TogoError(
      'INPUT_UNREADABLE',
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      { cause: error },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new TogoError('MOCK_CLIENTS_INVALID', `${file} is not JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return validateClientsShape(parsed, file);
}

/** The flow the application uses, read from the authorize request of its control login. */
function flowOf(authorizeUrl: string): { flow: LoginFlow; responseType: string; nonce: boolean } {
  const params = new URL(authorizeUrl).searchParams;
  // A pushed request (PAR) shows only its request_uri: take it for the code flow.
  const responseType = params.get('response_type') ?? 'code';
  const types = responseType.split(' ');
  const nonce = params.has('nonce') || params.has('request_uri');
  return {
    flow: {
      front: types.includes('id_token'),
      frontAccessToken: types.includes('id_token') && types.includes('token'),
      back: types.includes('code'),
      nonce,
    },
    responseType,
    nonce,
  };
}

function judge(name: FaultName, expected: Expected, attempt: Attempt): ConformanceCase {
  const info = fault(name).conformance;
  const base = { fault: name, expected, app: attempt.app, evidence: attempt.evidence };
  const right = expected === 'reject' || expected === 'reject-or-accept' ? 'rejected' : 'accepted';
  if (attempt.app === right) return { ...base, ok: true, verdict: 'ok' };
  const allowed = expected === 'reject-or-accept' || expected === 'accept-or-reject';
  return { ...base, ok: allowed, verdict: allowed ? 'allowed' : 'FAIL', rule: info.rule, hint: info.hint };
}

export async function conformanceCommand(ctx: Ctx, flags: ConformanceFlags): Promise<number> {
  const p = await plan(ctx, flags);
  const { browser, mock } = await startBrowserAndEmulator(ctx, flags, p);
  ctx.note(ctx.styleErr.dim(`Emulator at ${mock.issuer}; logging in through ${p.startUrl}`));
  const login = loginDriver(ctx, browser, mock, p, flags.timeout * 1000);
  const report = await runCases(login, mock, p);
  await publish(ctx, flags, p, report);
  if (report.control.app !== 'accepted' || report.brokeAfter !== undefined) return 4;
  return report.ok ? 0 : 1;
}

/** One login through the application: `control` marks a login expected to succeed. */
type Login = (label: string, control?: boolean) => Promise<Attempt>;

/** The browser and the emulator start side by side; whichever fails first is the error. */
async function startBrowserAndEmulator(
  ctx: Ctx,
  flags: ConformanceFlags,
  p: Plan,
): Promise<{ browser: Browser; mock: MockProvider }> {
  const { start } = await import('../../mock/server.js');
  const [launched, started] = await Promise.allSettled([
    launchChromium(ctx.env),
    start({
      port: flags.port,
      autoLogin: flags.user,
      ...(p.clients ? { clients: p.clients } : {}),
      onEvent: (message) => {
        if (ctx.debug) ctx.note(ctx.styleErr.dim(`emulator: ${message}`));
      },
    }),
  ]);
  if (launched.status === 'fulfilled') ctx.defer(() => launched.value.close());
  if (started.status === 'fulfilled') ctx.defer(() => started.value.close());
  if (launched.status === 'rejected') throw launched.reason;
  if (started.status === 'rejected') throw started.reason;
  return { browser: launched.value, mock: started.value };
}

/** Logs in through the application, saying each login on stderr; Ctrl-C ends the one under way at once. */
function loginDriver(ctx: Ctx, browser: Browser, mock: MockProvider, p: Plan, timeoutMs: number): Login {
  // The browser and the emulator close on the way out.
  const interrupted = new Promise<never>((_resolve, reject) => {
    const stop = () => reject(new TogoError('INTERRUPTED', 'interrupted'));
    if (ctx.signal.aborted) stop();
    else ctx.signal.addEventListener('abort', stop, { once: true });
  });
  interrupted.catch(() => {});
  /** Signed in without asking the emulator: nothing the emulator does can show in this run. */
  const bypassed = (attempt: Attempt): Attempt => ({
    app: 'rejected',
    evidence: {
      ...attempt.evidence,
      line: `the success page showed, but the browser never reached ${mock.authorizationEndpoint}: is the application configured with this issuer?`,
    },
  });
  return async (label, control = false) => {
    ctx.progress(ctx.styleErr.dim(`login: ${label}…`));
    const attempt = await Promise.race([
      attemptLogin(browser, p.startUrl, p.success, mock.authorizationEndpoint, timeoutMs),
      interrupted,
    ]);
    ctx.progress(undefined);
    const result =
      control && attempt.app === 'accepted' && !attempt.authorizeUrl ? bypassed(attempt) : attempt;
    ctx.note(t`${label}: ${result.app}`);
    return result;
  };
}

/** A control login, then each fault the application's flow can show, each with a control after a rejection. */
async function runCases(login: Login, mock: MockProvider, p: Plan): Promise<ConformanceReport> {
  const control = await login('control (no fault)', true);
  const report: ConformanceReport = {
    ok: false,
    issuer: mock.issuer,
    startUrl: p.startUrl,
    flow: null,
    control: { app: control.app, evidence: control.evidence },
    cases: [],
  };
  if (report.control.app === 'accepted' && control.authorizeUrl) {
    const { flow, responseType, nonce } = flowOf(control.authorizeUrl);
    report.flow = { responseType, nonce };
    for (const fault of p.faults) {
      const stop = await runFault(login, mock, fault, flow, report);
      if (stop) break;
    }
    const reason = `the run stopped: after ${report.brokeAfter} a good login failed too`;
    for (const fault of p.faults.slice(report.cases.length)) report.cases.push(notRun(fault, reason));
  }
  report.ok =
    report.control.app === 'accepted' && report.brokeAfter === undefined && report.cases.every((c) => c.ok);
  return report;
}

/**
 * One fault's case added to the report; true when the run must stop. A good login follows every
 * rejection: an application that broke itself (cached keys, a lock-out) is not one that rejects.
 * After an acceptance the application evidently works; should that case have broken it, the
 * control after the next rejection shows it.
 */
async function runFault(
  login: Login,
  mock: MockProvider,
  fault: FaultName,
  flow: LoginFlow,
  report: ConformanceReport,
): Promise<boolean> {
  const outcome = expectedOutcome(fault, flow);
  if ('notRun' in outcome) {
    report.cases.push(notRun(fault, outcome.notRun));
    return false;
  }
  await mock.setFaults([fault]);
  let attempt: Attempt;
  try {
    attempt = await login(fault);
  } finally {
    await mock.setFaults([]);
  }
  const judged = judge(fault, outcome.expected, attempt);
  report.cases.push(judged);
  if (attempt.app === 'accepted') return false;
  const after = await login(`control after ${fault}`, true);
  if (after.app === 'accepted') return false;
  report.cases[report.cases.length - 1] = { ...judged, ok: false, verdict: 'inconclusive' };
  report.brokeAfter = fault;
  return true;
}

function notRun(fault: FaultName, reason: string): ConformanceCase {
  return { fault, expected: null, app: 'not run', ok: true, verdict: 'not run', evidence: null, reason };
}

/** The report where it was asked for: the JUnit file, GitHub annotations, then stdout. */
async function publish(ctx: Ctx, flags: ConformanceFlags, p: Plan, report: ConformanceReport): Promise<void> {
  const checks = conformanceChecks(report);
  if (flags.junit) {
    await writeSecretFile(
      resolve(ctx.cwd, flags.junit),
      renderJunit(`conformance ${p.startUrl}`, checks, new Date(ctx.now())),
    );
  }
  if (ctx.env.GITHUB_ACTIONS === 'true') {
    const out = ctx.json ? ctx.printErr : ctx.print;
    for (const line of githubAnnotations(checks)) out(t`${line}`);
  }
  if (ctx.json) ctx.printJson(report);
  else ctx.print(renderConformance(report, ctx.style));
}
