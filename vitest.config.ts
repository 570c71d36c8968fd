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
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: E2E,
          testTimeout: 90_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
