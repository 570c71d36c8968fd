import { defineConfig } from 'vitest/config';

/**
 * Two projects, both run by `npm test`:
 * - unit: protocol logic, renderers, config, and each command's logic (in-process, canned HTTP
 *   answers or one emulator per file); a room of it runs in seconds (`npm test -- test/oidc`).
 * - e2e: real browsers, relying parties and providers togo did not write, the GitHub Action, the
 *   documented examples run as a user runs them (test/e2e/, and the browser tests beside their
 *   command). Fewer, broader, slower; a generous timeout, since a busy machine makes them slower
 *   and a timeout here is never what a test is about.
 */
const E2E = ['test/e2e/**/*.test.ts', 'test/**/browser*.test.ts'];

export default defineConfig({
  test: {
    // Two cores here: browser and provider tests are heavy; keep the pool small.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: E2E,
          // One module cache per worker, not per file: togo's modules, oidc-provider and jose are
          // imported once per worker instead of once per file (the room of test/oidc, ui, config
          // and provider ran in 106 s and 117 s instead of 260 s and 237 s, on a loaded machine).
          // src/ keeps no state between runs (each run has its own context), so files cannot see
          // each other through it; a test that changes something global puts it back.
          isolate: false,
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: E2E,
          // As in the unit project: playwright-core, oidc-provider, openid-client and togo's modules
          // are imported once per worker, not once per file. A file that changes the process's
          // environment puts it back (interop does, for the login recipe).
          isolate: false,
          testTimeout: 90_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
