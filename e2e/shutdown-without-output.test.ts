import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, isRunning, startEmbedded, startOrphaned, type EmbeddedProcess } from './embedded-process.js';

/**
 * SIGTERM must stop the process cleanly even when nothing reads its stdout and stderr any more
 * (the pipe's reader closed, or the launcher that held it exited): a write there fails with EPIPE,
 * and that must neither crash the shutdown nor keep the process from exiting.
 */

const dirs: string[] = [];
const pids: number[] = [];
const children: EmbeddedProcess[] = [];
afterAll(() => {
  for (const p of children) p.child.kill('SIGKILL');
  for (const pid of pids) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const SHUTDOWN_TIMEOUT_MS = 5000;
// Info level, so that the shutdown itself writes log lines into the broken pipe.
const settings = async (dataDir: string) => ({ PORT: String(await freePort()), DATA_DIR: dataDir, LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) });

const signUp = (url: string, email: string) =>
  fetch(`${url}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'correct horse battery', name: 'Shutdown', timeZone: 'UTC' }),
  });

/**
 * What PostgreSQL (PGlite here) recorded about its data folder, as pg_controldata prints it: "shut
 * down" after a clean close, "in production" when the process died with it open. The state is the
 * uint32 after the system identifier and two version numbers at the start of global/pg_control.
 */
function clusterState(dataDir: string): string {
  const state = readFileSync(join(dataDir, 'pglite', 'global', 'pg_control')).readUInt32LE(16);
  return ['starting up', 'shut down', 'shut down in recovery', 'shutting down', 'in crash recovery', 'in archive recovery', 'in production'][state] ?? `state ${state}`;
}

/** The data folder is free again: a new process opens it and finds the account made before. */
async function expectDataFolderReleased(dataDir: string, email: string): Promise<void> {
  const next = startEmbedded(await settings(dataDir));
  children.push(next);
  await next.ready;
  const signIn = await fetch(`${next.url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'correct horse battery' }),
  });
  expect(signIn.status).toBe(200);
  next.child.kill('SIGTERM');
  expect(await next.exited).toBe(0);
}

describe('shutdown when nobody reads the output', () => {
  it('stops cleanly on SIGTERM with code 0 after its output reader was closed, closing its database and releasing the data folder', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'taskstream-shutdown-'));
    dirs.push(dataDir);
    const app = startEmbedded(await settings(dataDir));
    children.push(app);
    await app.ready;
    expect((await signUp(app.url, 'reader@example.com')).status).toBe(200);
    app.child.stdout!.destroy();
    app.child.stderr!.destroy();
    app.child.kill('SIGTERM');
    // Its own deadline (SHUTDOWN_TIMEOUT_MS) bounds a shutdown on an idle machine; room here for a busy one.
    const stillRunning = new Promise<string>((resolve) => setTimeout(() => resolve('still running'), SHUTDOWN_TIMEOUT_MS * 4).unref());
    expect(await Promise.race([app.exited, stillRunning])).toBe(0);
    expect(clusterState(dataDir)).toBe('shut down');
  }, 240_000);

  it('ends on SIGTERM after its launcher and output reader are gone, closing its database and releasing the data folder', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'taskstream-shutdown-'));
    dirs.push(dataDir);
    const app = await startOrphaned('apps/embedded/src/main.ts', await settings(dataDir));
    pids.push(app.pid);
    expect((await signUp(app.url, 'orphan@example.com')).status).toBe(200);
    process.kill(app.pid, 'SIGTERM');
    // Not our child, so there is no exit code to read: it must be gone (well within its own
    // deadline on an idle machine; room here for a busy one), having closed its database.
    await expect.poll(() => isRunning(app.pid), { timeout: SHUTDOWN_TIMEOUT_MS * 4, interval: 100 }).toBe(false);
    expect(clusterState(dataDir)).toBe('shut down');
    await expectDataFolderReleased(dataDir, 'orphan@example.com');
  }, 240_000);
});
