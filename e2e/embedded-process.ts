import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export { freePort } from '../scripts/infra/ports.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));


export interface EmbeddedProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
}

/** Runs the embedded system from source (what `npm start` runs after building) as a real process. */
export function startEmbedded(env: Record<string, string>): EmbeddedProcess & { ready: Promise<void> } {
  return startAppProcess('apps/embedded/src/main.ts', env);
}

/** Runs one app's main.ts from source as a real process (apps/<service>/src/main.ts). */
export function startAppProcess(entry: string, env: Record<string, string>): EmbeddedProcess & { ready: Promise<void> } {
  const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', entry], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (/is running at/.test(out)) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`exited with ${code} before it was ready:\n${out}`));
    });
  });
  return { child, url: `http://127.0.0.1:${env.PORT}`, output: () => out, exited, ready };
}

// The launcher: starts the app in its own session with its output piped back, prints the app's
// pid once the app is ready, and exits, leaving the app without its parent and its output reader.
const launcher = `
const { spawn } = require('node:child_process');
const { writeSync } = require('node:fs');
const { args, cwd } = JSON.parse(process.env.TASKSTREAM_LAUNCH);
const app = spawn(process.execPath, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
let out = '';
const read = (d) => {
  out += d;
  if (out.includes('is running at')) {
    writeSync(1, String(app.pid));
    process.exit(0);
  }
};
app.stdout.on('data', read);
app.stderr.on('data', read);
app.once('exit', (code) => {
  writeSync(2, 'exited with ' + code + ' before it was ready:\\n' + out);
  process.exit(1);
});
`;

/**
 * Runs one app's main.ts from source the way a launcher that does not stay around does (a shell
 * script that backgrounds it, a supervisor that restarted): in its own session, its stdout and
 * stderr piped to the launcher, which exits once the app is ready. Resolves with the app's pid.
 * Nobody reads the app's output any more, and it is nobody's child here: its exit code cannot be
 * observed, only that it is gone.
 */
export function startOrphaned(entry: string, env: Record<string, string>): Promise<{ pid: number; url: string }> {
  const args = ['--conditions=development', '--import', 'tsx', entry];
  const child = spawn(process.execPath, ['-e', launcher], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn', ...env, TASKSTREAM_LAUNCH: JSON.stringify({ args, cwd: root }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) =>
    child.once('close', (code) => {
      if (code === 0 && /^\d+$/.test(out)) resolve({ pid: Number(out), url: `http://127.0.0.1:${env.PORT}` });
      else reject(new Error(`the launcher exited with ${code}: ${err}`));
    }),
  );
}

/** Whether a process with this pid still exists (signal 0 only checks). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
