import type { Command } from 'commander';
import type { Runner } from '../run.js';
import { declareApi } from './api.js';
import { declareCallback } from './callback.js';
import { declareCheck } from './check.js';
import { declareConfig } from './config.js';
import { declareDecode } from './decode.js';
import { declareDemo } from './demo.js';
import { declareDiscover } from './discover.js';
import { declareInspectUrl } from './inspect-url.js';
import { declareIntrospect } from './introspect.js';
import { declareLogin } from './login.js';
import { declareLoginUrl } from './login-url.js';
import { declareLogout } from './logout.js';
import { declareMock } from './mock.js';
import { declareRevoke } from './revoke.js';
import { declareUserinfo } from './userinfo.js';

/** Every command's declaration (flags, help, examples). Bodies load lazily when a command runs. */
export const commands: ReadonlyArray<(program: Command, runner: Runner) => void> = [
  declareLogin,
  declareDecode,
  declareLoginUrl,
  declareInspectUrl,
  declareDiscover,
  declareCheck,
  declareCallback,
  declareMock,
  declareUserinfo,
  declareApi,
  declareLogout,
  declareIntrospect,
  declareRevoke,
  declareDemo,
  declareConfig,
];
