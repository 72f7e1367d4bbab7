import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, startEmbedded, type EmbeddedProcess } from '../embedded-process.js';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

let server: EmbeddedProcess | undefined;
let dataDir: string | undefined;
let stopping = false;

/** Starts the embedded system (API + consumers + the built UI) on a free port with its own data folder. */
export async function setup(project: TestProject): Promise<void> {
  dataDir = mkdtempSync(join(tmpdir(), 'taskstream-browser-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const started = startEmbedded({
    PORT: String(port),
    DATA_DIR: dataDir,
    // Browsers send an Origin header; Better Auth accepts only the public URL's.
    PUBLIC_URL: baseUrl,
    // The relay wakes on commit; a short fallback poll keeps the next occurrence prompt.
    OUTBOX_POLL_MS: '200',
    SIGN_IN_RATE_LIMIT: '1000',
  });
  server = started;
  await started.ready;
  // A server that dies mid-run would show up as refused connections; say why instead.
  void started.exited.then((code) => {
    if (!stopping) console.error(`[browser tests] the embedded server exited (${code}) during the tests:\n${started.output()}`);
  });
  project.provide('baseUrl', baseUrl);
}

export async function teardown(): Promise<void> {
  stopping = true;
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
