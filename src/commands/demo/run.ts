import { TogoError } from '../../errors.js';
import { start } from '../../mock/server.js';
import { t } from '../../ui/safe.js';
import type { Ctx } from '../shared/context.js';
import type { Body } from '../shared/kit.js';
import type { DemoFlags } from './command.js';

/**
 * `togo demo`: the emulator and `togo login --headless` in one process, what `npm start` runs.
 * `login` is login's body, handed over by the command list (a command never imports another).
 */
export async function demoCommand(ctx: Ctx, flags: DemoFlags, login: Body): Promise<number> {
  const mock = await start({ port: 0, autoLogin: flags.user }).catch((error: unknown) => {
    // The emulator names its own flag (--auto-login); here the user is chosen with --user.
    if (error instanceof TogoError && error.code === 'USAGE' && error.message.startsWith('--auto-login ')) {
      throw new TogoError('USAGE', `--user ${error.message.slice('--auto-login '.length)}`, {
        hint: error.hint,
      });
    }
    throw error;
  });
  ctx.defer(() => mock.close());
  ctx.note(
    t`${ctx.styleErr.bold('Togo ID emulator')} at ${mock.issuer}; ${flags.user} signs in automatically. Logging in headless…`,
  );
  // The `mock` environment, pointed at this emulator: Togo's login page wrapping the authorize URL.
  const demoCtx: Ctx = { ...ctx, env: { ...ctx.env, TOGO_MOCK_ISSUER: mock.issuer } };
  const code = await login(
    demoCtx,
    { env: 'mock', responseType: flags.responseType },
    { headless: true, pkce: true, wait: 30, timeout: 10, clockSkew: 60 },
  );
  if (code === 0 && !ctx.json) {
    ctx.note(
      t`\nNext: run the emulator in one terminal (${ctx.styleErr.bold('togo mock --auto-login joe@m.test')}) and log in from another (${ctx.styleErr.bold('togo login --env mock --headless')}), or try ${ctx.styleErr.bold('togo decode <token>')} on a token of your own.`,
    );
  }
  return code;
}
