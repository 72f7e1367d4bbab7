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
