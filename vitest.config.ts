import { defineConfig } from 'vitest/config';

/** Unit and site tests; the real-browser tests have their own config (test/e2e/vitest.config.ts). */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    setupFiles: ['test/setup.ts'],
    testTimeout: 20_000,
  },
});
