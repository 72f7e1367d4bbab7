// Installs dependencies when they are missing or older than the lockfile, so that
// `npm start` and `npm test` work on a fresh clone with nothing but Node and npm.
import { existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const marker = 'node_modules/.package-lock.json';
const stale = !existsSync(marker) || statSync(marker).mtimeMs < statSync('package-lock.json').mtimeMs;
if (stale) {
  console.log('[taskstream] installing dependencies (npm ci)…');
  const started = Date.now();
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  console.log(`[taskstream] dependencies installed in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}
