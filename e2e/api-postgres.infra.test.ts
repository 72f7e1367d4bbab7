import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { adminQuery, requireInfra, ROOT, withDatabase } from './infra-stack.js';

/**
 * The API's own test suite (apps/api/src/**\/*.test.ts, normally on in-memory PGlite) run again on
 * the real PostgreSQL of scripts/infra: TEST_DATABASE_URL makes createTestDatabase
 * (packages/testing) create a fresh database per test app on that server and drop it on close.
 *
 * It runs as a child `npx vitest run apps/api/src` (the unit config, vitest.config.ts), so the
 * suite is exactly the one `npm test` runs. While it runs we watch pg_database for the `test_*`
 * databases, which proves the suite really used PostgreSQL and not PGlite.
 */

/** The API's suite, and the module suites whose concurrency matters on a real server (two schedulers). */
const SUITES = ['apps/api/src', 'modules/notifications/src'];
const SUITE = SUITES.join(' ');
const scratch = mkdtempSync(join(tmpdir(), 'taskstream-e2e-api-pg-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface JsonReport {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  testResults: { name: string; assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
}

function runSuite(env: NodeJS.ProcessEnv, reportFile: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['vitest', 'run', ...SUITES, '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

describe('the API test suite on real PostgreSQL (TEST_DATABASE_URL)', () => {
  it(`npx vitest run ${SUITE} passes with every test database on the infra PostgreSQL`, { timeout: 900_000 }, async () => {
    const status = requireInfra(['postgres']);
    const serverUrl = withDatabase(status.postgres.urls[0]!, 'postgres');
    const before = new Set((await adminQuery<{ datname: string }>(serverUrl, "select datname from pg_database where datname like 'test\\_%'")).map((r) => r.datname));

    // Not the parent's vitest worker variables: the child is a vitest run of its own.
    const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_ENV'));
    env.TEST_DATABASE_URL = serverUrl;
    env.TEST_LOG_LEVEL ??= 'silent';
    const reportFile = join(scratch, 'api-suite.json');

    const created = new Set<string>();
    let polling = true;
    const poller = (async () => {
      while (polling) {
        try {
          for (const r of await adminQuery<{ datname: string }>(serverUrl, "select datname from pg_database where datname like 'test\\_%'")) if (!before.has(r.datname)) created.add(r.datname);
        } catch {
          // the server is busy creating/dropping; try again
        }
        await new Promise((r) => setTimeout(r, 150));
      }
    })();
    const t0 = Date.now();
    const { code, output } = await runSuite(env, reportFile).finally(() => (polling = false));
    await poller;
    const seconds = ((Date.now() - t0) / 1000).toFixed(1);

    let report: JsonReport | undefined;
    try {
      report = JSON.parse(readFileSync(reportFile, 'utf8')) as JsonReport;
    } catch {
      // no report: the output below says why
    }
    const failed = (report?.testResults ?? []).flatMap((f) => f.assertionResults.filter((a) => a.status === 'failed').map((a) => `${f.name.replace(ROOT, '')} › ${a.fullName}\n    ${(a.failureMessages[0] ?? '').split('\n')[0]}`));
    const tailOut = output.split('\n').slice(-60).join('\n');
    console.log(`[api-postgres] ${SUITE}: exit ${code}, ${report?.numPassedTests ?? '?'}/${report?.numTotalTests ?? '?'} passed in ${seconds}s, ${created.size} test databases seen on PostgreSQL`);

    expect(report, `the child vitest wrote no JSON report (exit ${code}):\n${tailOut}`).toBeDefined();
    expect(failed, `tests of ${SUITE} failed on PostgreSQL:\n${failed.join('\n')}\n--- output tail\n${tailOut}`).toEqual([]);
    expect(code, `child vitest exit code:\n${tailOut}`).toBe(0);
    expect(report!.numPassedTests).toBeGreaterThan(0);
    expect(
      created.size,
      'no test_* database appeared on the infra PostgreSQL while the suite ran: createTestDatabase (packages/testing/src/test-database.ts) ignored TEST_DATABASE_URL and used PGlite',
    ).toBeGreaterThan(0);

    // Every test database is dropped again by close().
    const left = (await adminQuery<{ datname: string }>(serverUrl, "select datname from pg_database where datname like 'test\\_%'")).map((r) => r.datname).filter((n) => created.has(n));
    expect(left, `test databases the suite did not drop (a test app not closed?)`).toEqual([]);
  });
});
