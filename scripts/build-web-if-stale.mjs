// Builds the web UI (apps/web → apps/web/dist) when it has never been built or a source is newer
// than the build, so `npm start` serves the current UI and costs nothing when it is up to date.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

// Everything the bundle is made from: the app and the parser it shares with the chat module.
const inputs = ['apps/web/src', 'apps/web/public', 'apps/web/index.html', 'apps/web/vite.config.ts', 'apps/web/package.json', 'modules/chat/src', 'package-lock.json'];
const built = 'apps/web/dist/index.html';

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs);
}

const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
const changedAt = Math.max(...inputs.map(newest));
if (builtAt >= changedAt && !process.argv.includes('--force')) process.exit(0);

console.log(builtAt ? '[taskstream] web UI sources changed; rebuilding…' : '[taskstream] building the web UI…');
const started = Date.now();
const result = spawnSync('npm', ['run', 'build:web', '--silent'], { stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
console.log(`[taskstream] web UI built in ${((Date.now() - started) / 1000).toFixed(1)}s`);
