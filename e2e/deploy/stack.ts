// What the deployment tier's journey needs of the running stack: the addresses and pod names
// scripts/deploy/local/stack.mjs wrote to .taskstream/deploy/stack.json, HTTP calls to the api pod,
// podman commands (with the tier's containers.conf), SQL on the tier's PostgreSQL, and polling.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const STACK_FILE = join(ROOT, '.taskstream', 'deploy', 'stack.json');

export interface Stack {
  containersConf: string;
  namespace: string;
  databaseUrl: string;
  api: string;
  realtime: string;
  pods: Record<string, { pod: string; ip: string; url: string; app: string; daprd: string | null }>;
}

/** The running stack; fails (never skips) when `deploy:local up` has not run. */
export function readStack(): Stack {
  if (!existsSync(STACK_FILE)) throw new Error(`${STACK_FILE} is missing: start the stack with \`npm run deploy:local\` (or run the whole tier: \`npm run test:deploy\`)`);
  return JSON.parse(readFileSync(STACK_FILE, 'utf8')) as Stack;
}

export function podman(stack: Stack, args: string[], timeoutMs = 120_000): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('podman', args, { encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, CONTAINERS_CONF: stack.containersConf } });
  return { code: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? String(r.error ?? '') };
}

/** Last lines of a container's log, for failure messages. */
export function logTail(stack: Stack, container: string, lines = 25): string {
  const r = podman(stack, ['logs', '--tail', String(lines), container]);
  return `--- ${container}\n${r.stdout}${r.stderr}`;
}

export async function sql<R extends pg.QueryResultRow = pg.QueryResultRow>(stack: Stack, text: string, values?: unknown[]): Promise<R[]> {
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export async function waitUntil<T>(check: () => T | Promise<T>, opts: { what: string; timeoutMs: number; intervalMs?: number; describe?: () => string }): Promise<NonNullable<T>> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${opts.what}: nothing after ${opts.timeoutMs / 1000}s${opts.describe ? `\n${opts.describe()}` : ''}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 250));
  }
}

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * One JSON call to a pod, as the web UI served from it makes it (its Origin: the production auth
 * refuses state-changing calls without one); the caller names the body's shape (the assertions check it).
 */
export async function call<T = unknown>(base: string, token: string | null, method: string, path: string, body?: unknown): Promise<Answer<T>> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { origin: base, ...(body !== undefined && { 'content-type': 'application/json' }), ...(token && { authorization: `Bearer ${token}` }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as T };
}
