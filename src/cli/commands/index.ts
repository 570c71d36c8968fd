import type { Command } from 'commander';
import type { Runner } from '../run.js';
import { declareApi } from './api.js';
import { declareConfig } from './config.js';
import { declareDecode } from './decode.js';
import { declareInspectUrl } from './inspect-url.js';
import { declareIntrospect } from './introspect.js';
import { declareLoginUrl } from './login-url.js';
import { declareLogout } from './logout.js';
import { declareMock } from './mock.js';
import { declareRevoke } from './revoke.js';
import { declareUserinfo } from './userinfo.js';

/** Every command's declaration (flags, help, examples). Bodies load lazily when a command runs. */
export const commands: ReadonlyArray<(program: Command, runner: Runner) => void> = [
  declareDecode,
  declareLoginUrl,
  declareInspectUrl,
  declareConfig,
  declareMock,
  declareUserinfo,
  declareLogout,
  declareIntrospect,
  declareRevoke,
  declareApi,
];
