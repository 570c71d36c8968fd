import type { Command } from 'commander';
import { apiMeta, declareApi } from './api/command.js';
import { callbackMeta, declareCallback } from './callback/command.js';
import { checkMeta, declareCheck } from './check/command.js';
import { completionMeta, declareCompletion } from './completion/command.js';
import { configMeta, declareConfig } from './config/command.js';
import { conformanceMeta, declareConformance } from './conformance/command.js';
import { declareDecode, decodeMeta } from './decode/command.js';
import { declareDemo, demoMeta } from './demo/command.js';
import { declareDiscover, discoverMeta } from './discover/command.js';
import { declareInspectUrl, inspectUrlMeta } from './inspect-url/command.js';
import { declareIntrospect, introspectMeta } from './introspect/command.js';
import { declareLogin, loginMeta } from './login/command.js';
import { declareLoginUrl, loginUrlMeta } from './login-url/command.js';
import { declareLogout, logoutMeta, logoutUrlMeta } from './logout/command.js';
import { declareMock, mockMeta } from './mock/command.js';
import { declareRevoke, revokeMeta } from './revoke/command.js';
import { declareSessions, sessionsMeta } from './sessions/command.js';
import type { CommandMeta, Runner } from './shared/kit.js';
import { declareToken, tokenMeta } from './token/command.js';
import { declareUserinfo, userinfoMeta } from './userinfo/command.js';

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
  { metas: [conformanceMeta], declare: declareConformance },
  { metas: [userinfoMeta], declare: declareUserinfo },
  { metas: [tokenMeta], declare: declareToken },
  { metas: [sessionsMeta], declare: declareSessions },
  { metas: [apiMeta], declare: declareApi },
  { metas: [logoutUrlMeta, logoutMeta], declare: declareLogout },
  { metas: [introspectMeta], declare: declareIntrospect },
  { metas: [revokeMeta], declare: declareRevoke },
  { metas: [demoMeta], declare: declareDemo },
  { metas: [configMeta], declare: declareConfig },
  { metas: [completionMeta], declare: declareCompletion },
];
