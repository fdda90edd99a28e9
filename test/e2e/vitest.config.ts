import { defineConfig } from 'vitest/config';

/** Real-browser tests: the built extension in Chromium and Firefox; one file at a time (2 cores). */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});
