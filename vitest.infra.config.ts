import { defineConfig } from 'vitest/config';

/** The real-infrastructure tier: PostgreSQL, Kafka and Dapr started by scripts/infra on loopback. */
export default defineConfig({
  resolve: { conditions: ['development'] },
  ssr: { resolve: { conditions: ['development'] } },
  test: {
    include: ['{apps,modules,packages}/*/src/**/*.infra.test.ts', 'e2e/**/*.infra.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // One file at a time: they share the brokers, sidecars and ports.
    fileParallelism: false,
    reporters: process.env.CI ? ['default', 'junit', 'json'] : ['default'],
    outputFile: { junit: 'test-results/junit-infra.xml', json: 'test-results/vitest-infra.json' },
  },
});
