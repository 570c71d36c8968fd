/**
 * The emulator for tests, started as few times as the tests allow: `shared()` is one emulator per
 * test file for the tests that need no fault (started on first use, closed after the file), and
 * `withFaults()` a fresh one for a test that needs its own faults (closed after that test).
 * Starting one costs key generation and, the first time in a worker, loading oidc-provider.
 */
import { afterAll, afterEach } from 'vitest';
import { startMockProvider } from '../../src/index.js';
import type { FaultName, MockProvider, MockProviderOptions } from '../../src/mock/types.js';

export interface Emulators {
  /** The file's emulator without faults, Joe signed in automatically. */
  shared(): Promise<MockProvider>;
  /** An emulator of this test's own (Joe signed in automatically unless `autoLogin` says otherwise). */
  withFaults(faults: FaultName[], options?: MockProviderOptions): Promise<MockProvider>;
}

/** Registers the hooks that close the emulators; call once at the top of a test file. */
export function useEmulators(): Emulators {
  let shared: Promise<MockProvider> | undefined;
  const own: MockProvider[] = [];
  afterEach(async () => {
    await Promise.all(own.splice(0).map((m) => m.close()));
  });
  afterAll(async () => {
    await (await shared)?.close();
  });
  return {
    shared() {
      shared ??= startMockProvider({ port: 0, autoLogin: 'joe@m.test' });
      return shared;
    },
    async withFaults(faults, options = {}) {
      const mock = await startMockProvider({ port: 0, autoLogin: 'joe@m.test', faults, ...options });
      own.push(mock);
      return mock;
    },
  };
}
