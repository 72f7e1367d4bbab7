import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['development'] },
  ssr: { resolve: { conditions: ['development'] } },
  test: {
    include: ['{apps,modules,packages}/*/src/**/*.test.{ts,tsx}', 'e2e/**/*.test.ts'],
    // *.infra.test.ts need real PostgreSQL/Kafka/Dapr: they run in `npm run test:infra` (vitest.infra.config.ts).
    // e2e/browser drives Chromium: it runs in `npm run test:browser` (vitest.browser.config.ts).
    exclude: ['**/node_modules/**', '**/dist/**', '**/*.infra.test.ts', 'e2e/browser/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // CI also writes machine-readable results; .ci/run totals them.
    reporters: process.env.CI ? ['default', 'junit', 'json'] : ['default'],
    outputFile: { junit: 'test-results/junit.xml', json: 'test-results/vitest.json' },
  },
});
