import type { Command } from 'commander';
import type { CommandMeta, Runner } from '../run.js';
import { apiMeta, declareApi } from './api.js';
import { callbackMeta, declareCallback } from './callback.js';
import { checkMeta, declareCheck } from './check.js';
import { configMeta, declareConfig } from './config.js';
import { declareDecode, decodeMeta } from './decode.js';
import { declareDemo, demoMeta } from './demo.js';
import { declareDiscover, discoverMeta } from './discover.js';
import { declareInspectUrl, inspectUrlMeta } from './inspect-url.js';
import { declareIntrospect, introspectMeta } from './introspect.js';
import { declareLogin, loginMeta } from './login.js';
import { declareLoginUrl, loginUrlMeta } from './login-url.js';
import { declareLogout, logoutMeta, logoutUrlMeta } from './logout.js';
import { declareMock, mockMeta } from './mock.js';
import { declareRevoke, revokeMeta } from './revoke.js';
import { declareUserinfo, userinfoMeta } from './userinfo.js';

export interface CommandEntry {
  /** The commands the declaration adds (one, or two for logout-url and logout). */
  metas: readonly CommandMeta[];
  /** Adds the commands with every flag, their help and examples; bodies load when a command runs. */
  declare(program: Command, runner: Runner): void;
}

/** Every command, in the order `togo --help` lists them. */
export const commands: readonly CommandEntry[] = [
  { metas: [loginMeta], declare: declareLogin },
  { metas: [decodeMeta], declare: declareDecode },
  { metas: [loginUrlMeta], declare: declareLoginUrl },
  { metas: [inspectUrlMeta], declare: declareInspectUrl },
  { metas: [discoverMeta], declare: declareDiscover },
  { metas: [checkMeta], declare: declareCheck },
  { metas: [callbackMeta], declare: declareCallback },
  { metas: [mockMeta], declare: declareMock },
  { metas: [userinfoMeta], declare: declareUserinfo },
  { metas: [apiMeta], declare: declareApi },
  { metas: [logoutUrlMeta, logoutMeta], declare: declareLogout },
  { metas: [introspectMeta], declare: declareIntrospect },
  { metas: [revokeMeta], declare: declareRevoke },
  { metas: [demoMeta], declare: declareDemo },
  { metas: [configMeta], declare: declareConfig },
];
