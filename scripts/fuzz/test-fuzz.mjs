#!/usr/bin/env node
// npm run test:fuzz — an independent fuzzer against the API's own OpenAPI document: schemathesis
// (PyPI, pinned, in a virtualenv) generates requests for every documented operation of a fresh
// embedded server, signed in as a new user, and checks that nothing answers 5xx, that every status
// is documented, and that every body matches its documented schema.
//
//   npm run test:fuzz                      # builds (tsc -b), then fuzzes; a few minutes on 2 cores
//   FUZZ_MAX_EXAMPLES=100 npm run test:fuzz
//   FUZZ_SEED=random npm run test:fuzz     # explore beyond the fixed seed CI uses
//
// Writes test-results/fuzz-junit.xml (schemathesis's JUnit report: one test case per operation)
// and test-results/fuzz.json ({numPassedTests, numFailedTests, …}, the shape .ci/run totals).
// The virtualenv is kept in ~/.cache/taskstream/venv-schemathesis/<version> as a speed-up only:
// a missing or broken one is made again, and an unwritable cache falls back to a temporary one.
// Exit code: 0 when every operation passed; 1 otherwise (or when something could not start).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aptInstall, CACHE_DIR, hasCommand, isAlive, killGroup, REPO_ROOT, runCommand, tail, waitFor } from '../infra/lib.mjs';
import { freePort } from '../infra/ports.mjs';

const SCHEMATHESIS_VERSION = '4.32.5';
const CHECKS = 'not_a_server_error,response_schema_conformance,status_code_conformance';
/** Signing out would end the fuzzer's own session half-way; the auth tests cover it. */
const EXCLUDED_PATHS = ['/api/auth/sign-out'];
const DEFAULT_SEED = '20261204';
const RESULTS = join(REPO_ROOT, 'test-results');

const maxExamples = wholeNumber('FUZZ_MAX_EXAMPLES', 25);
const timeoutSeconds = wholeNumber('FUZZ_TIMEOUT_SECONDS', 600);
const seed = process.env.FUZZ_SEED === 'random' ? String(Math.floor(Math.random() * 2 ** 31)) : (process.env.FUZZ_SEED ?? DEFAULT_SEED);

const started = Date.now();
const say = (/** @type {string} */ message) => process.stderr.write(`[test:fuzz +${((Date.now() - started) / 1000).toFixed(1)}s] ${message}\n`);

/** @param {string} name @param {number} fallback */
function wholeNumber(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number ≥ 1; got "${raw}"`);
  return n;
}

/** Runs a command with its output shown, in its own process group; resolves with the exit code. */
function runVisible(/** @type {string} */ cmd, /** @type {string[]} */ args, /** @type {import('node:child_process').SpawnOptions} */ opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], detached: true, ...opts });
    cleanups.push(() => (child.pid && child.exitCode === null ? killGroup(child.pid, 3000) : undefined));
    const timer = setTimeout(() => {
      say(`${cmd} still running after ${timeoutSeconds}s (FUZZ_TIMEOUT_SECONDS): stopping it`);
      if (child.pid) void killGroup(child.pid, 3000);
    }, timeoutSeconds * 1000);
    child.on('error', (e) => (say(`could not start ${cmd}: ${e.message}`), resolve(127)));
    child.on('close', (code) => (clearTimeout(timer), resolve(code ?? 1)));
  });
}

/** @type {Array<() => unknown>} */
const cleanups = [];
async function cleanUp() {
  for (const fn of cleanups.splice(0).reverse()) await fn();
}
for (const sig of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM'])) {
  process.on(sig, () => void cleanUp().then(() => process.exit(sig === 'SIGINT' ? 130 : 143)));
}

/** The schemathesis CLI in a virtualenv: the cached one when it works, else a new one. */
async function schemathesis() {
  const cached = join(CACHE_DIR, 'venv-schemathesis', SCHEMATHESIS_VERSION);
  const bin = (/** @type {string} */ venv) => join(venv, 'bin', 'schemathesis');
  const works = async (/** @type {string} */ venv) =>
    existsSync(bin(venv)) && (await runCommand(bin(venv), ['--version'], { allowFailure: true })).stdout.includes(SCHEMATHESIS_VERSION);
  if (await works(cached)) {
    say(`schemathesis ${SCHEMATHESIS_VERSION} from ${cached}`);
    return bin(cached);
  }
  if (!hasCommand('python3')) await aptInstall('fuzz', 'python3', 'python3 not found');
  // Made in place: a virtualenv's scripts name its path, so it cannot be built elsewhere and moved.
  let target = cached;
  try {
    mkdirSync(join(CACHE_DIR, 'venv-schemathesis'), { recursive: true });
  } catch {
    target = mkdtempSync(join(tmpdir(), 'taskstream-venv-schemathesis-'));
    cleanups.push(() => rmSync(target, { recursive: true, force: true }));
    say(`cache ${CACHE_DIR} is not writable: a temporary virtualenv in ${target}`);
  }
  say(`installing schemathesis ${SCHEMATHESIS_VERSION} into ${target} (once; about a minute)…`);
  rmSync(target, { recursive: true, force: true });
  try {
    await runCommand('python3', ['-m', 'venv', target]);
  } catch {
    // Debian's python3 has no venv module until python3-venv is installed.
    await aptInstall('fuzz', 'python3-venv', 'python3 -m venv failed');
    rmSync(target, { recursive: true, force: true });
    await runCommand('python3', ['-m', 'venv', target]);
  }
  await runCommand(join(target, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`], { timeoutMs: 15 * 60_000 });
  if (!(await works(target))) throw new Error(`schemathesis ${SCHEMATHESIS_VERSION} did not install into ${target}`);
  return bin(target);
}

/** A fresh embedded server (PGlite in a temporary folder) on a free port; resolves with its URL. */
async function startServer() {
  const dataDir = mkdtempSync(join(tmpdir(), 'taskstream-fuzz-'));
  const port = await freePort();
  const log = join(dataDir, 'server.log');
  const url = `http://127.0.0.1:${port}`;
  const env = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, LOG_LEVEL: 'warn' };
  // The embedded defaults, whatever the calling shell points at.
  for (const name of ['DATABASE_URL', 'EVENT_BUS', 'SERVICES', 'TRUSTED_ORIGINS', 'AUTH_SECRET']) delete env[name];
  const out = openSync(log, 'a');
  const child = spawn(process.execPath, [join(REPO_ROOT, 'apps', 'embedded', 'dist', 'main.js')], { cwd: REPO_ROOT, env, stdio: ['ignore', out, out], detached: true });
  closeSync(out);
  const pid = child.pid ?? 0;
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  cleanups.push(() => killGroup(pid, 10_000));
  await waitFor(async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.ok, {
    what: 'the embedded server',
    timeoutMs: 120_000,
    alive: () => isAlive(pid),
    describe: () => tail(log),
  });
  return { url, log };
}

/** Signs up a new user and returns its bearer token (the set-auth-token header). */
async function signUp(/** @type {string} */ url) {
  const res = await fetch(`${url}/api/auth/sign-up/email`, {
    method: 'POST',
    // Node's fetch says it is a browser request (sec-fetch-mode), so Better Auth wants a trusted origin.
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ email: `fuzz-${Date.now()}@example.com`, password: 'correct horse battery', name: 'Fuzz', timeZone: 'Europe/Berlin' }),
  });
  const token = res.headers.get('set-auth-token');
  if (!res.ok || !token) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  return token;
}

/** Test cases of a JUnit report: one per operation; failed when it holds a failure or error. */
function junitCases(/** @type {string} */ xml) {
  const unescape = (/** @type {string} */ s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  return [...xml.matchAll(/<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)].map((m) => ({
    name: unescape(/name="([^"]*)"/.exec(m[1] ?? '')?.[1] ?? '?'),
    failed: /<(failure|error)\b/.test(m[2] ?? ''),
  }));
}

async function main() {
  say('building (npm run build)…');
  if ((await runVisible('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT })) !== 0) throw new Error('npm run build failed');
  const bin = await schemathesis();
  const server = await startServer();
  say(`embedded server at ${server.url} (log ${server.log})`);
  const token = await signUp(server.url);
  mkdirSync(RESULTS, { recursive: true });
  const junit = join(RESULTS, 'fuzz-junit.xml');
  rmSync(junit, { force: true });
  // Its own scratch folder as working directory: schemathesis keeps state files there.
  const scratch = mkdtempSync(join(tmpdir(), 'taskstream-schemathesis-'));
  cleanups.push(() => rmSync(scratch, { recursive: true, force: true }));
  const args = ['run', `${server.url}/openapi.json`, '-H', `Authorization: Bearer ${token}`, '--checks', CHECKS, '--max-examples', String(maxExamples),
    '--seed', seed, '--request-timeout', '10', '--generation-database', 'none', '--report', 'junit', '--report-junit-path', junit,
    ...EXCLUDED_PATHS.flatMap((p) => ['--exclude-path', p])];
  say(`schemathesis ${CHECKS.replaceAll(',', ', ')}; ${maxExamples} examples per operation, seed ${seed}, excluding ${EXCLUDED_PATHS.join(', ')}`);
  const code = await runVisible(bin, args, { cwd: scratch });
  const cases = existsSync(junit) ? junitCases(readFileSync(junit, 'utf8')) : [];
  const failed = cases.filter((c) => c.failed).map((c) => c.name);
  const serverErrors = readFileSync(server.log, 'utf8').split('\n').filter((l) => /"level":(50|60)/.test(l));
  if (serverErrors.length) say(`the server logged ${serverErrors.length} error(s); first:\n${serverErrors.slice(0, 3).join('\n')}`);
  // A run that ended without a report, or failed without naming an operation, still counts as a failure.
  const numFailedTests = failed.length || (code === 0 && cases.length > 0 ? 0 : 1);
  const summary = { numPassedTests: cases.length - failed.length, numFailedTests, numTotalTests: cases.length, failed, seed, maxExamples, schemathesis: SCHEMATHESIS_VERSION, exitCode: code };
  writeFileSync(join(RESULTS, 'fuzz.json'), `${JSON.stringify(summary, null, 2)}\n`);
  say(`${summary.numPassedTests} operations passed, ${numFailedTests} failed${failed.length ? ` (${failed.join(', ')})` : ''}; reproduce with FUZZ_SEED=${seed}`);
  return numFailedTests === 0 ? 0 : 1;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (e) {
  say(`ERROR: ${e instanceof Error ? e.message : String(e)}`);
} finally {
  await cleanUp();
}
say(`done in ${((Date.now() - started) / 1000).toFixed(0)}s — exit ${exitCode}`);
process.exit(exitCode);
