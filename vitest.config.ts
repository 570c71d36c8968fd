import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Two cores here: browser and provider tests are heavy; keep the pool small.
    maxWorkers: 2,
  },
});
