// Shared helpers for scripts/infra: paths, progress lines, commands, background processes with pid
// files (ports are in ports.mjs). Plain Node ESM, built-ins only.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const INFRA_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(INFRA_DIR, '..', '..');
/** Runtime state (pids, data, logs): gitignored. */
export const STATE_DIR = process.env.TASKSTREAM_INFRA_STATE ? resolve(process.env.TASKSTREAM_INFRA_STATE) : join(REPO_ROOT, '.taskstream', 'infra');
/** Installs, keyed by version; only a speed-up, rebuilt when missing. */
export const CACHE_DIR = process.env.TASKSTREAM_CACHE ? resolve(process.env.TASKSTREAM_CACHE) : join(homedir(), '.cache', 'taskstream');
export const RESOURCES_DIR = join(REPO_ROOT, 'deploy', 'dapr', 'local');

export const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

const started = Date.now();
/** Seconds since this process started, for progress lines. */
export const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;

/** @param {string} part @param {string} message */
export const say = (part, message) => process.stderr.write(`[infra +${elapsed()}] ${part}: ${message}\n`);

/**
 * Runs `fn` as a named step: prints start, a heartbeat every `tickMs` while it runs, and the
 * duration at the end. Returns fn's result and the step's seconds.
 * @template T
 * @param {string} part
 * @param {string} what
 * @param {() => Promise<T>} fn
 * @param {number} [tickMs]
 * @returns {Promise<{ value: T, seconds: number }>}
 */
export async function step(part, what, fn, tickMs = 15_000) {
  const t0 = Date.now();
  say(part, `${what}…`);
  const timer = setInterval(() => say(part, `${what}: still running (${((Date.now() - t0) / 1000).toFixed(0)}s)`), tickMs);
  try {
    const value = await fn();
    const seconds = (Date.now() - t0) / 1000;
    say(part, `${what}: done in ${seconds.toFixed(1)}s`);
    return { value, seconds };
  } catch (e) {
    say(part, `${what}: FAILED after ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    throw e;
  } finally {
    clearInterval(timer);
  }
}

/**
 * Runs a command to completion asynchronously (so heartbeats keep printing), output to a log file
 * or captured. Rejects on a non-zero exit with the tail of the output, unless `allowFailure`
 * (for commands whose exit code is the answer, like `pg_ctl status`): then resolves with it.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, logFile?: string, timeoutMs?: number, allowFailure?: boolean }} [opts]
 * @returns {Promise<{ stdout: string, stderr: string, code: number | null }>}
 */
export function runCommand(cmd, args, opts = {}) {
  return new Promise((resolvePromise, reject) => {
    /** @type {import('node:child_process').StdioOptions} */
    let stdio = ['ignore', 'pipe', 'pipe'];
    let fd = -1;
    if (opts.logFile) {
      mkdirSync(dirname(opts.logFile), { recursive: true });
      fd = openSync(opts.logFile, 'a');
      stdio = ['ignore', fd, fd];
    }
    const child = spawn(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : null;
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      if (fd >= 0) closeSync(fd);
      reject(e);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (fd >= 0) closeSync(fd);
      if (code === 0 || opts.allowFailure) return resolvePromise({ stdout, stderr, code });
      let tail = (stderr || stdout).split('\n').slice(-30).join('\n');
      if (opts.logFile) {
        try {
          tail = readFileSync(opts.logFile, 'utf8').split('\n').slice(-30).join('\n');
        } catch {
          // no log
        }
      }
      reject(new Error(`${cmd} ${args.join(' ')} failed (exit ${code}${signal ? `, signal ${signal}` : ''})${opts.logFile ? ` — log: ${opts.logFile}` : ''}\n${tail}`));
    });
  });
}

export const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Installs a Debian package when something is missing (as root only; elsewhere it says which
 * package to install). A failed install is retried once after `apt-get update` (a stale list).
 * @param {string} part
 * @param {string} pkg
 * @param {string} reason what is missing, e.g. "java not found"
 */
export async function aptInstall(part, pkg, reason) {
  if (!isRoot()) throw new Error(`${reason}: install the Debian package "${pkg}"`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => runCommand('apt-get', ['install', '-y', '--no-install-recommends', pkg], { env, timeoutMs: 20 * 60_000 });
  await step(part, `${reason}: apt-get install ${pkg}`, async () => {
    try {
      await install();
    } catch {
      say(part, `apt-get install ${pkg} failed; running apt-get update and retrying`);
      await runCommand('apt-get', ['update'], { env, timeoutMs: 10 * 60_000 });
      await install();
    }
  });
}

/** @param {string} cmd */
export const hasCommand = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** @param {number} pid */
export function isAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie is not alive for our purposes.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** @param {string} name */
export const pidFile = (name) => join(STATE_DIR, 'pids', `${name}.json`);

/**
 * @typedef {{ name: string, pid: number, cmd: string, args: string[], log: string, ports?: Record<string, number>, startedAt: string, [k: string]: unknown }} ProcRecord
 * @param {string} name
 * @returns {ProcRecord | null}
 */
export function readRecord(name) {
  try {
    return JSON.parse(readFileSync(pidFile(name), 'utf8'));
  } catch {
    return null;
  }
}

/** @returns {ProcRecord[]} every recorded process, alive or not */
export function allRecords() {
  const dir = join(STATE_DIR, 'pids');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => readRecord(f.slice(0, -5)))
    .filter((r) => r !== null);
}

/**
 * Starts a long-running process detached in its own process group, output appended to `log`,
 * and records it in .taskstream/infra/pids/<name>.json (before it is ready, so `down` finds a
 * half-started one too).
 * @param {string} name
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ log: string, cwd?: string, env?: NodeJS.ProcessEnv, extra?: Record<string, unknown> }} opts
 * @returns {ProcRecord}
 */
export function spawnDaemon(name, cmd, args, opts) {
  mkdirSync(dirname(opts.log), { recursive: true });
  mkdirSync(join(STATE_DIR, 'pids'), { recursive: true });
  const fd = openSync(opts.log, 'a');
  const child = spawn(cmd, args, { cwd: opts.cwd ?? REPO_ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  child.unref();
  if (!child.pid) throw new Error(`could not start ${cmd}`);
  /** @type {ProcRecord} */
  const record = { name, pid: child.pid, cmd, args, log: opts.log, startedAt: new Date().toISOString(), ...opts.extra };
  writeFileSync(pidFile(name), JSON.stringify(record, null, 2));
  return record;
}

/**
 * Stops a recorded process group: SIGTERM, then SIGKILL after `graceMs`. Removes the record.
 * @param {string} name
 * @param {number} [graceMs]
 * @returns {Promise<'stopped' | 'not running'>}
 */
export async function stopDaemon(name, graceMs = 15_000) {
  const record = readRecord(name);
  if (!record) return 'not running';
  const result = await killGroup(record.pid, graceMs);
  rmSync(pidFile(name), { force: true });
  return result;
}

/**
 * @param {number} pid leader of a process group we started (detached)
 * @param {number} graceMs
 * @returns {Promise<'stopped' | 'not running'>}
 */
export async function killGroup(pid, graceMs = 15_000) {
  if (!isAlive(pid)) return 'not running';
  const signal = (/** @type {NodeJS.Signals} */ sig) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        // gone
      }
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(200);
  if (isAlive(pid)) signal('SIGKILL');
  while (isAlive(pid)) await sleep(100);
  return 'stopped';
}

/**
 * Pids of processes whose command line mentions `marker` (an absolute path of ours), so `down`
 * also finds processes whose pid file was never written or was lost.
 * @param {string} marker
 * @param {string} [comm] only processes with this executable name (/proc/<pid>/comm), e.g. "java"
 * @returns {number[]}
 */
export function pidsMentioning(marker, comm) {
  const out = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (comm && readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== comm) continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(marker)) out.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/**
 * Polls `check` until it returns a truthy value; throws with `describe()` after `timeoutMs`.
 * @template T
 * @param {() => Promise<T> | T} check
 * @param {{ timeoutMs: number, intervalMs?: number, what: string, describe?: () => string, alive?: () => boolean }} opts
 * @returns {Promise<T>}
 */
export async function waitFor(check, opts) {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (opts.alive && !opts.alive()) throw new Error(`${opts.what}: the process exited${opts.describe ? `\n${opts.describe()}` : ''}`);
    if (Date.now() > deadline) throw new Error(`${opts.what}: timed out after ${opts.timeoutMs / 1000}s${opts.describe ? `\n${opts.describe()}` : ''}`);
    await sleep(opts.intervalMs ?? 250);
  }
}

/** Last lines of a log file, for error messages. @param {string} file @param {number} [n] */
export function tail(file, n = 25) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-n).join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}
