import { defineConfig } from 'vitest/config';

/**
 * The deployment tier's journey (npm run test:deploy): e2e/deploy/*.deploy.ts against the pods that
 * scripts/deploy/local started. Named *.deploy.ts so neither `npm test` nor `test:infra` picks them up.
 */
export default defineConfig({
  resolve: { conditions: ['development'] },
  ssr: { resolve: { conditions: ['development'] } },
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['e2e/deploy/**/*.deploy.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    // The steps build on each other (the task of one is completed by the next).
    sequence: { concurrent: false },
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest-deploy.json' },
  },
});
