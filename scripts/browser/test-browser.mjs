// npm run test:browser — the end-to-end tests in a real browser: installs Debian's Chromium if it
// is missing (nothing downloads a browser of its own), builds the web UI when it is stale, and runs
// e2e/browser with Vitest; the tests start the embedded server on a free port and stop it.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const started = Date.now();

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function step(message) {
  console.log(`[test:browser] ${message} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
}

if (!existsSync(chromium)) {
  if (process.getuid?.() !== 0) {
    console.error(`[test:browser] ${chromium} is missing; install it with: sudo apt-get install -y chromium`);
    process.exit(1);
  }
  step('installing Chromium from Debian (apt-get install chromium)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (run('apt-get', ['update'], env) !== 0 || run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], env) !== 0) {
    console.error('[test:browser] could not install Chromium');
    process.exit(1);
  }
}

if (run('node', ['scripts/ensure-install.mjs']) !== 0) process.exit(1);
step('building the web UI if it changed');
if (run('node', ['scripts/build-web-if-stale.mjs']) !== 0) process.exit(1);
step('running the browser tests');
const status = run('npx', ['vitest', 'run', '--config', 'vitest.browser.config.ts', ...process.argv.slice(2)]);
step(status === 0 ? 'done' : 'failed');
process.exit(status);
