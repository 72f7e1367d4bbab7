#!/usr/bin/env node
// npm run test:deploy — the deployment tier: build the images and run the chart's pods with their
// Dapr sidecars in podman (deploy-local.mjs up), run the journey against them
// (e2e/deploy/*.deploy.ts with vitest), and ALWAYS remove everything again (pods, network,
// secrets, the project and Dapr images, the tier's PostgreSQL and Kafka) — after a failure and on
// SIGINT/SIGTERM too. Each step is bounded in time.
//
// Reports: test-results/vitest-deploy.json (vitest's, counted by .ci/run; written here with one
// failure when the stack never came up) and test-results/deploy-summary.json (times, image sizes).
// Exit code: vitest's; 1 when `up` or the clean-up failed; 130/143 when interrupted.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const DEPLOY = join(import.meta.dirname, 'deploy-local.mjs');
const STACK = join(ROOT, '.taskstream', 'deploy', 'stack.json');
const REPORT = join(ROOT, 'test-results', 'vitest-deploy.json');
const SUMMARY = join(ROOT, 'test-results', 'deploy-summary.json');
const LIMITS = { typecheck: 5 * 60_000, up: 35 * 60_000, vitest: 15 * 60_000, logs: 3 * 60_000, down: 5 * 60_000 };
const t0 = Date.now();
const secs = (/** @type {number} */ from) => `${((Date.now() - from) / 1000).toFixed(1)}s`;
const say = (/** @type {string} */ message) => process.stderr.write(`[test-deploy +${secs(t0)}] ${message}\n`);

/** @type {import('node:child_process').ChildProcess | null} */
let current = null;
/** @type {NodeJS.Signals | null} */
let interrupted = null;
let tearingDown = false;

/** @param {number} pgid @param {NodeJS.Signals} sig */
function signalGroup(pgid, sig) {
  try {
    process.kill(-pgid, sig);
  } catch {
    // gone
  }
}

/**
 * Runs a command in its own process group (so a timeout or a signal reaches what it started),
 * inheriting stdout/stderr. Resolves with its exit code (124 on timeout).
 * @param {string[]} args node arguments @param {number} timeoutMs
 */
function run(args, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    current = child;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      say(`time limit of ${timeoutMs / 60_000} min reached: stopping ${args.slice(1).join(' ')}`);
      if (child.pid) signalGroup(child.pid, 'SIGTERM');
      setTimeout(() => child.pid && signalGroup(child.pid, 'SIGKILL'), 30_000).unref();
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      current = null;
      resolve(timedOut ? 124 : (code ?? (signal === 'SIGINT' ? 130 : 143)));
    });
  });
}

/** @param {string} what @param {string[]} args @param {number} timeoutMs */
async function phase(what, args, timeoutMs) {
  const from = Date.now();
  say(`${what}…`);
  const code = await run(args, timeoutMs);
  const seconds = (Date.now() - from) / 1000;
  say(`${what}: ${code === 0 ? 'done' : `FAILED (exit ${code})`} in ${seconds.toFixed(1)}s`);
  return { code, seconds };
}

for (const sig of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
  process.on(sig, () => {
    if (tearingDown) return say(`${sig} during clean-up: still removing the pods and images`);
    if (interrupted) return;
    interrupted = sig;
    say(`${sig}: stopping the running step, then removing everything`);
    if (current?.pid) signalGroup(current.pid, sig === 'SIGHUP' ? 'SIGTERM' : sig);
  });
}

/** A report in vitest's shape for a tier that never got to its tests. @param {string} why */
function failedReport(why) {
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  writeFileSync(REPORT, JSON.stringify({ numPassedTests: 0, numFailedTests: 1, numRuntimeErrorTestSuites: 0, success: false, reason: why }, null, 2));
}

/** @type {Record<string, number>} */
const timings = {};
let exitCode = 1;
let stack = null;
rmSync(REPORT, { force: true });
try {
  // The journey is not part of the root `tsc -b` (it runs only here): check its types before the
  // minutes of building, so a wrong field fails in seconds.
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const typecheck = await phase('typecheck the journey (tsc -p e2e/deploy --noEmit)', [tsc, '-p', 'e2e/deploy', '--noEmit'], LIMITS.typecheck);
  if (interrupted) throw new Error(`interrupted by ${interrupted}`);
  if (typecheck.code !== 0) throw new Error(`the journey does not typecheck (exit ${typecheck.code}); see the lines above`);
  const up = await phase('deploy:local up (images, sentry, PostgreSQL + Kafka, migration, pods)', [DEPLOY, 'up'], LIMITS.up);
  timings.up = up.seconds;
  if (interrupted) throw new Error(`interrupted by ${interrupted}`);
  if (up.code !== 0) throw new Error(`deploy:local up failed (exit ${up.code}); see the lines above and .taskstream/deploy/logs/`);
  stack = JSON.parse(readFileSync(STACK, 'utf8'));

  const vitest = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
  const journey = await phase('the journey (vitest run --config e2e/deploy/vitest.deploy.config.mjs)', [vitest, 'run', '--config', 'e2e/deploy/vitest.deploy.config.mjs', ...process.argv.slice(2)], LIMITS.vitest);
  timings.journey = journey.seconds;
  exitCode = journey.code;
  if (!existsSync(REPORT)) failedReport(`vitest exited with ${journey.code} and wrote no report`);
  if (journey.code !== 0) await phase('saving the pods\' logs to .taskstream/deploy/logs', [DEPLOY, 'logs'], LIMITS.logs);
} catch (e) {
  say(`ERROR: ${e instanceof Error ? e.message : String(e)}`);
  failedReport(e instanceof Error ? e.message : String(e));
  if (existsSync(STACK) || !interrupted) await phase('saving the pods\' logs to .taskstream/deploy/logs', [DEPLOY, 'logs'], LIMITS.logs);
  exitCode = 1;
} finally {
  tearingDown = true;
  const down = await phase('deploy:local down (pods, network, secrets, images, PostgreSQL, Kafka)', [DEPLOY, 'down'], LIMITS.down);
  timings.down = down.seconds;
  if (down.code !== 0) {
    say('WARNING: the clean-up failed; see `npm run deploy:local -- status`');
    if (exitCode === 0) exitCode = 1;
  }
}
if (interrupted) exitCode = interrupted === 'SIGINT' ? 130 : 143;
timings.total = (Date.now() - t0) / 1000;
const summary = {
  at: new Date().toISOString(),
  exitCode,
  seconds: { ...timings, up: stack?.seconds ?? timings.up },
  images: stack?.images ?? null,
  notPlayed: stack?.notPlayed ?? null,
};
mkdirSync(join(ROOT, 'test-results'), { recursive: true });
writeFileSync(SUMMARY, JSON.stringify(summary, null, 2));
const mb = (/** @type {number | undefined} */ b) => (b ? `${(b / 1e6).toFixed(0)} MB` : '?');
say(`images: ${stack?.images.app.name ?? '?'} ${mb(stack?.images.app.bytes)}, ${stack?.images.dapr.name ?? '?'} ${mb(stack?.images.dapr.bytes)} (base from ${stack?.images.baseSource ?? '?'})`);
say(`${Object.entries(timings).map(([k, v]) => `${k} ${v.toFixed(1)}s`).join(', ')} — exit ${exitCode}`);
process.exit(exitCode);
