import { defineConfig } from 'vitest/config';

/** Browser tests: Debian's Chromium driven by playwright-core against the embedded server (npm run test:browser). */
export default defineConfig({
  test: {
    include: ['e2e/browser/**/*.test.ts'],
    globalSetup: ['e2e/browser/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One file at a time: they share the server and the machine has two cores.
    fileParallelism: false,
    reporters: process.env.CI ? ['default', 'junit', 'json'] : ['default'],
    outputFile: { junit: 'test-results/junit-browser.xml', json: 'test-results/vitest-browser.json' },
  },
});
