import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startEmbedded, type EmbeddedProcess } from './embedded-process.js';

const dataDir = mkdtempSync(join(tmpdir(), 'taskstream-e2e-'));
const running: EmbeddedProcess[] = [];
afterAll(() => {
  for (const p of running) p.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

async function boot() {
  const p = startEmbedded({ PORT: String(await freePort()), DATA_DIR: dataDir });
  running.push(p);
  await p.ready;
  return p;
}

const json = (method: string, body?: unknown, token?: string): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
  ...(body !== undefined && { body: JSON.stringify(body) }),
});

describe('the embedded system as a process', () => {
  it('refuses to start on a bad setting and names it', async () => {
    const p = startEmbedded({ PORT: '99999', DATA_DIR: dataDir, LOG_LEVEL: 'loud' });
    p.ready.catch(() => {});
    running.push(p);
    expect(await p.exited).toBe(2);
    expect(p.output()).toMatch(/PORT/);
    expect(p.output()).toMatch(/LOG_LEVEL/);
  });

  it('keeps data across a restart and finishes in-flight requests on Ctrl-C', async () => {
    const first = await boot();
    expect(first.output()).toContain(join(dataDir, 'pglite'));
    const signUp = await fetch(`${first.url}/api/auth/sign-up/email`, json('POST', { email: 'e2e@example.com', password: 'correct horse battery', name: 'E2E', timeZone: 'Europe/Berlin' }));
    expect(signUp.status).toBe(200);
    const token = signUp.headers.get('set-auth-token')!;

    // Fire a burst of writes and interrupt while they are in flight: every request the server
    // accepted must complete, and exactly those tasks must exist after the restart.
    const writes = Array.from({ length: 20 }, (_, i) =>
      fetch(`${first.url}/api/tasks`, json('POST', { title: `burst ${i}`, dueAt: '2026-12-01T09:00', tags: ['e2e'] }, token)).then(
        (r) => r.status,
        () => 'refused' as const,
      ),
    );
    setTimeout(() => first.child.kill('SIGINT'), 30);
    const statuses = await Promise.all(writes);
    const code = await first.exited;
    expect(code, first.output()).toBe(0);
    expect(first.output()).toMatch(/stopped cleanly/);
    // Accepted requests complete (201); requests arriving after shutdown began are refused (503 or a closed socket).
    for (const s of statuses) expect([201, 503, 'refused']).toContain(s);
    const created = statuses.filter((s) => s === 201).length;

    const second = await boot();
    const signIn = await fetch(`${second.url}/api/auth/sign-in/email`, json('POST', { email: 'e2e@example.com', password: 'correct horse battery' }));
    expect(signIn.status).toBe(200);
    const list = await fetch(`${second.url}/api/tasks?tags=e2e&limit=200`, json('GET', undefined, signIn.headers.get('set-auth-token')!));
    const body = (await list.json()) as { items: { dueAt: string }[] };
    expect(body.items).toHaveLength(created);
    // Every committed change's events were published by the relay, before or after the restart.
    await expect
      .poll(async () => (await (await fetch(`${second.url}/metrics`)).text()).match(/^outbox_pending_events (\d+)$/m)?.[1], { timeout: 10_000 })
      .toBe('0');
    // The session from before the restart is still valid: the auth secret persisted in DATA_DIR.
    expect((await fetch(`${second.url}/api/me`, json('GET', undefined, token))).status).toBe(200);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    // Two cold boots of the whole system from source: generous, since a busy shared machine is slow.
  }, 120_000);
});
