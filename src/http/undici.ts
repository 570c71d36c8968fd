/**
 * The parts of undici togo uses — the proxy-aware agent and its request API — without the rest of
 * the package (fetch, WebSocket, caches, mocks), which would triple the time a networked command
 * spends loading it. This is what undici's own index does for these two pieces (it assigns the API
 * to the Dispatcher prototype); the version is pinned by the lock file, and the HTTP tests cover it.
 */
import type { Dispatcher, EnvHttpProxyAgent as EnvHttpProxyAgentType } from 'undici';
import api from 'undici/lib/api/index.js';
import DispatcherBase from 'undici/lib/dispatcher/dispatcher.js';
import EnvHttpProxyAgentImpl from 'undici/lib/dispatcher/env-http-proxy-agent.js';

Object.assign(DispatcherBase.prototype, api);

export const EnvHttpProxyAgent = EnvHttpProxyAgentImpl as typeof EnvHttpProxyAgentType;
export type { Dispatcher };
