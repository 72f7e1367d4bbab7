#!/usr/bin/env node
// The infrastructure test tier in one command: start PostgreSQL, Kafka and the Dapr scheduler
// (building daprd on first use; cached afterwards), run the `*.infra.test.ts` files with
// vitest.infra.config.ts, then the browser tests (scripts/browser/test-browser.mjs), and ALWAYS
// stop the infrastructure again — after a failure, on Ctrl-C
// and on SIGTERM too. Exits with vitest's exit code.
//
//   node scripts/infra/test-infra.mjs                      # the whole tier
//   node scripts/infra/test-infra.mjs e2e/dapr -t state    # extra arguments go to vitest
//   node scripts/infra/test-infra.mjs --keep-infra ...     # leave the infrastructure running (for local iteration)
//
// Needs no stdin and no TTY (CI=true works: vitest then also writes test-results/*-infra.*).
// Exit codes: vitest's; 1 when `up` failed; 1 when vitest passed but `down` failed;
// 130/143 when interrupted by SIGINT/SIGTERM.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const INFRA = join(import.meta.dirname, 'infra.mjs');
const t0 = Date.now();
const secs = (/** @type {number} */ from) => `${((Date.now() - from) / 1000).toFixed(1)}s`;
const say = (/** @type {string} */ message) => process.stderr.write(`[test-infra +${secs(t0)}] ${message}\n`);

const argv = process.argv.slice(2);
const keepInfra = argv.includes('--keep-infra') || process.env.TASKSTREAM_KEEP_INFRA === '1';
const vitestArgs = argv.filter((a) => a !== '--keep-infra');

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
    // the group is gone
  }
}

/** @param {number} pgid */
function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs a command in a process group of its own (so vitest's workers and whatever they spawned can
 * be signalled together), with inherited stdout/stderr and no stdin. Resolves with its exit code
 * (128 + signal number when it died of a signal) once the leader exited; anything the leader
 * left behind in its group (an orphaned worker) is then killed.
 * @param {string} cmd @param {string[]} args @returns {Promise<number>}
 */
function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: process.env, detached: true });
    current = child;
    child.on('error', (e) => {
      say(`could not start ${cmd}: ${e.message}`);
      current = null;
      resolve(127);
    });
    child.on('close', async (code, signal) => {
      current = null;
      if (child.pid && groupAlive(child.pid)) {
        signalGroup(child.pid, 'SIGTERM');
        for (let i = 0; i < 50 && groupAlive(child.pid); i++) await new Promise((r) => setTimeout(r, 100));
        if (groupAlive(child.pid)) {
          say(`killing what ${cmd} left running in its process group`);
          signalGroup(child.pid, 'SIGKILL');
        }
      }
      resolve(code ?? (signal === 'SIGINT' ? 130 : signal === 'SIGKILL' ? 137 : 143));
    });
  });
}

/** @param {string} what @param {string[]} args */
async function phase(what, args) {
  const from = Date.now();
  say(`${what}…`);
  const code = await run(process.execPath, args);
  say(`${what}: ${code === 0 ? 'done' : `FAILED (exit ${code})`} in ${secs(from)}`);
  return { code, seconds: (Date.now() - from) / 1000 };
}

for (const sig of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
  process.on(sig, () => {
    if (tearingDown) {
      say(`${sig} during teardown: still stopping the infrastructure (it must not be left running)`);
      return;
    }
    if (interrupted) return;
    interrupted = sig;
    say(`${sig}: stopping the running step, then the infrastructure`);
    // The step runs in its own process group: a terminal's Ctrl-C does not reach it, we forward it
    // to the whole group (vitest, its workers, what the tests spawned).
    if (current?.pid) signalGroup(current.pid, sig === 'SIGHUP' ? 'SIGTERM' : sig);
  });
}

/** @type {Record<string, number>} */
const timings = {};
let exitCode = 1;
try {
  const up = await phase('infra up --build-dapr (daprd is built on first use, cached afterwards)', [INFRA, 'up', '--build-dapr']);
  timings.up = up.seconds;
  if (interrupted) throw new Error(`interrupted by ${interrupted}`);
  if (up.code !== 0) throw new Error(`infra up failed (exit ${up.code}); see the lines above`);

  const vitestBin = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
  const args = existsSync(vitestBin) ? [vitestBin, 'run', '--config', 'vitest.infra.config.ts', ...vitestArgs] : null;
  const from = Date.now();
  say(`vitest run --config vitest.infra.config.ts ${vitestArgs.join(' ')}`.trim());
  const code = args ? await run(process.execPath, args) : await run('npx', ['vitest', 'run', '--config', 'vitest.infra.config.ts', ...vitestArgs]);
  timings.vitest = (Date.now() - from) / 1000;
  say(`vitest exited with ${code} after ${secs(from)}`);
  exitCode = code;
  // The browser tier (DESIGN §7): Debian's Chromium against the embedded server. Only for the
  // whole tier; with vitest arguments the caller asked for particular infra tests.
  if (vitestArgs.length === 0 && !interrupted) {
    const browser = await phase('browser tests (npm run test:browser)', [join(ROOT, 'scripts', 'browser', 'test-browser.mjs')]);
    timings.browser = browser.seconds;
    if (browser.code !== 0 && exitCode === 0) exitCode = browser.code;
  }
} catch (e) {
  say(`ERROR: ${e instanceof Error ? e.message : String(e)}`);
  exitCode = 1;
} finally {
  tearingDown = true;
  if (keepInfra) {
    say('--keep-infra: leaving the infrastructure running (stop it with: node scripts/infra/infra.mjs down)');
  } else {
    const down = await phase('infra down', [INFRA, 'down']);
    timings.down = down.seconds;
    if (down.code !== 0) {
      say('WARNING: `infra.mjs down` failed: processes may be left running; check with `node scripts/infra/infra.mjs status`');
      if (exitCode === 0) exitCode = 1;
    }
  }
}
if (interrupted) exitCode = interrupted === 'SIGINT' ? 130 : 143;
timings.total = (Date.now() - t0) / 1000;
say(`${Object.entries(timings).map(([k, v]) => `${k} ${v.toFixed(1)}s`).join(', ')} — exit ${exitCode}`);
process.exit(exitCode);
