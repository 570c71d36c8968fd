/**
 * The one list of commands: each one's name and summary, its declaration (flags, help, examples)
 * and its body, loaded only when it runs. The build keeps every body apart from dist/cli.cjs:
 * `import('./<name>/run.js')` here becomes a require of dist/commands/<name>.cjs (scripts/build.mjs).
 */
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
import { declareLogout, declareLogoutUrl, logoutMeta, logoutUrlMeta } from './logout/command.js';
import { declareMock, mockMeta } from './mock/command.js';
import { declareRevoke, revokeMeta } from './revoke/command.js';
import { declareSessions, sessionsMeta } from './sessions/command.js';
import type { CommandEntry } from './shared/kit.js';
import { declareToken, tokenMeta } from './token/command.js';
import { declareUserinfo, userinfoMeta } from './userinfo/command.js';

/** Every command, in the order `togo --help` lists them. */
export const commands: readonly CommandEntry[] = [
  {
    meta: loginMeta,
    declare: declareLogin,
    body: async () => (await import('./login/run.js')).loginCommand,
  },
  {
    meta: decodeMeta,
    declare: declareDecode,
    body: async () => (await import('./decode/run.js')).decodeCommand,
  },
  {
    meta: loginUrlMeta,
    declare: declareLoginUrl,
    body: async () => (await import('./login-url/run.js')).loginUrlCommand,
  },
  {
    meta: inspectUrlMeta,
    declare: declareInspectUrl,
    body: async () => (await import('./inspect-url/run.js')).inspectUrlCommand,
  },
  {
    meta: discoverMeta,
    declare: declareDiscover,
    body: async () => (await import('./discover/run.js')).discoverCommand,
  },
  {
    meta: checkMeta,
    declare: declareCheck,
    body: async () => (await import('./check/run.js')).checkCommand,
  },
  {
    meta: callbackMeta,
    declare: declareCallback,
    body: async () => (await import('./callback/run.js')).callbackCommand,
  },
  {
    meta: mockMeta,
    declare: declareMock,
    body: async () => (await import('./mock/run.js')).mockCommand,
  },
  {
    meta: conformanceMeta,
    declare: declareConformance,
    body: async () => (await import('./conformance/run.js')).conformanceCommand,
  },
  {
    meta: userinfoMeta,
    declare: declareUserinfo,
    body: async () => (await import('./userinfo/run.js')).userinfoCommand,
  },
  {
    meta: tokenMeta,
    declare: declareToken,
    body: async () => (await import('./token/run.js')).tokenCommand,
  },
  {
    meta: sessionsMeta,
    declare: declareSessions,
    body: async () => (await import('./sessions/run.js')).sessionsCommand,
  },
  {
    meta: apiMeta,
    declare: declareApi,
    body: async () => (await import('./api/run.js')).apiCommand,
  },
  {
    meta: logoutUrlMeta,
    declare: declareLogoutUrl,
    body: async () => (await import('./logout/run.js')).logoutUrlCommand,
  },
  {
    meta: logoutMeta,
    declare: declareLogout,
    body: async () => (await import('./logout/run.js')).logoutCommand,
  },
  {
    meta: introspectMeta,
    declare: declareIntrospect,
    body: async () => (await import('./introspect/run.js')).introspectCommand,
  },
  {
    meta: revokeMeta,
    declare: declareRevoke,
    body: async () => (await import('./revoke/run.js')).revokeCommand,
  },
  {
    meta: demoMeta,
    declare: declareDemo,
    body: async () => (await import('./demo/run.js')).demoCommand,
  },
  {
    meta: configMeta,
    declare: declareConfig,
    body: async () => (await import('./config/run.js')).configCommand,
  },
  {
    meta: completionMeta,
    declare: declareCompletion,
    body: async () => (await import('./completion/run.js')).completionCommand,
  },
];

/** The command named `name`, if togo has one. */
export function findCommand(name: string | undefined): CommandEntry | undefined {
  return commands.find((entry) => entry.meta.name === name);
}
