// Helpers for the infrastructure tier's end-to-end tests (e2e/*.infra.test.ts): what runs where
// (from `node scripts/infra/infra.mjs status --json`), daprd sidecars through scripts/infra/dapr/daprd.mjs,
// scratch PostgreSQL databases, tiny HTTP apps and polling. A missing part is an error that says
// what is missing and how to start it; nothing here skips.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { freePort } from '../scripts/infra/ports.mjs';
import { startAppProcess, type EmbeddedProcess } from './embedded-process.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const INFRA = join(ROOT, 'scripts', 'infra', 'infra.mjs');
const HOW = 'start it with `node scripts/infra/infra.mjs up --build-dapr` (or run the whole tier with `node scripts/infra/test-infra.mjs`); check with `node scripts/infra/infra.mjs status`';

/** The part of `infra.mjs status --json` these tests read. */
export interface InfraStatus {
  postgres: { running: boolean; port: number; urls: string[]; log: string };
  kafka: { running: boolean; bootstrap: string; topics: string[]; log: string };
  scheduler: { running: boolean; built: boolean; address: string; log: string };
  daprd: { binary: string; built: boolean; resources: string };
  jaeger: { running: boolean; built: boolean; otlpHttp: string; otlpGrpc: string; query: string; log: string };
}

export type InfraPart = 'postgres' | 'kafka' | 'scheduler' | 'daprd' | 'jaeger';

/** Runs `infra.mjs status --json` (it exits 3 when PostgreSQL or Kafka is down; the JSON is still printed). */
export function infraStatus(): InfraStatus {
  const out = spawnSync(process.execPath, [INFRA, 'status', '--json'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  try {
    return JSON.parse(out.stdout) as InfraStatus;
  } catch {
    throw new Error(`could not read the infrastructure status from \`node scripts/infra/infra.mjs status --json\` (exit ${out.status}):\n${out.stdout}\n${out.stderr}`);
  }
}

/** Fails (never skips) naming every part in `needs` that does not run, and how to start it. */
export function requireInfra(needs: InfraPart[]): InfraStatus {
  const status = infraStatus();
  const missing: string[] = [];
  if (needs.includes('postgres') && !status.postgres.running) missing.push(`PostgreSQL is not running on 127.0.0.1:${status.postgres.port} (log ${status.postgres.log})`);
  if (needs.includes('kafka') && !status.kafka.running) missing.push(`Kafka is not running on ${status.kafka.bootstrap} (log ${status.kafka.log})`);
  if (needs.includes('daprd') && !status.daprd.built) missing.push(`daprd is not built (${status.daprd.binary}); build it with \`node scripts/infra/infra.mjs build-dapr\``);
  if (needs.includes('scheduler') && !status.scheduler.running)
    missing.push(status.scheduler.built ? `the Dapr scheduler is not running on ${status.scheduler.address} (log ${status.scheduler.log})` : 'the Dapr scheduler is not built (`node scripts/infra/infra.mjs build-dapr`)');
  if (needs.includes('jaeger') && !status.jaeger.running)
    missing.push(status.jaeger.built ? `Jaeger is not running (query ${status.jaeger.query}, log ${status.jaeger.log})` : 'Jaeger is not built (`node scripts/infra/infra.mjs build-jaeger`)');
  if (missing.length) throw new Error(`Infrastructure missing for this test:\n  - ${missing.join('\n  - ')}\nThen ${HOW}.`);
  return status;
}

/** postgres://…/<db> of the infra server with another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A fresh database on the infra PostgreSQL; drop() removes it (with its connections). */
export async function createScratchDatabase(status: InfraStatus, prefix: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const serverUrl = withDatabase(status.postgres.urls[0]!, 'postgres');
  const name = `${prefix}_${Date.now()}_${randomBytes(4).toString('hex')}`;
  await adminQuery(serverUrl, `create database ${name}`);
  return { name, url: withDatabase(serverUrl, name), drop: () => adminQuery(serverUrl, `drop database if exists ${name} with (force)`).then(() => undefined) };
}

/** One statement on a short-lived connection. */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string, values?: unknown[]): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export { freePort };

// --- daprd (scripts/infra/dapr/daprd.mjs is plain JS: typed here) -------------------------------------

export interface RunningDaprd {
  pid: number;
  appId: string;
  httpUrl: string;
  grpcPort: number;
  log: string;
  stop(): Promise<void>;
}

export interface DaprdOptions {
  appId: string;
  appPort?: number;
  daprHttpPort: number;
  daprGrpcPort: number;
  componentsPath?: string;
  configPath?: string | null;
  schedulerAddress?: string | null;
  logLevel?: string;
  readyTimeoutMs?: number;
  logFile?: string;
  /** daprd sends it to the app as dapr-api-token; an app under Dapr refuses its sidecar routes without it. */
  appApiToken?: string;
  env?: NodeJS.ProcessEnv;
  extraArgs?: string[];
}

interface DaprdModule {
  startDaprd(options: DaprdOptions): Promise<RunningDaprd>;
  prepareResources(options: { targetDir: string; sourceDir?: string; cronSchedule?: string; replace?: Record<string, string> }): string;
}

let daprdModule: Promise<DaprdModule> | undefined;
export function loadDaprdModule(): Promise<DaprdModule> {
  const file = join(ROOT, 'scripts', 'infra', 'dapr', 'daprd.mjs');
  if (!existsSync(file)) throw new Error(`${file} is missing: the infra scripts are needed for Dapr sidecars`);
  daprdModule ??= import(pathToFileURL(file).href) as Promise<DaprdModule>;
  return daprdModule;
}

/**
 * Sidecars and other things a test file started, stopped in reverse order by `stopAll()`
 * (call it from afterAll).
 */
export class Cleanup {
  private readonly steps: { what: string; run: () => unknown }[] = [];
  add(what: string, run: () => unknown): void {
    this.steps.push({ what, run });
  }
  async stopAll(): Promise<void> {
    const errors: string[] = [];
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step.run();
      } catch (e) {
        errors.push(`${step.what}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (errors.length) throw new Error(`cleanup failed:\n${errors.join('\n')}`);
  }
}

/** startDaprd on free ports; the sidecar is stopped by `cleanup`. */
export async function startSidecar(cleanup: Cleanup, options: Omit<DaprdOptions, 'daprHttpPort' | 'daprGrpcPort'>): Promise<RunningDaprd> {
  const { startDaprd } = await loadDaprdModule();
  const sidecar = await startDaprd({ ...options, daprHttpPort: await freePort(), daprGrpcPort: await freePort() });
  cleanup.add(`daprd ${options.appId}`, () => sidecar.stop());
  return sidecar;
}

export interface ServiceBehindSidecar {
  process: EmbeddedProcess;
  sidecar: RunningDaprd;
  port: number;
}

/**
 * One role as its own process (apps/<role>/src/main.ts) behind its own daprd, as a pod runs it;
 * both are stopped by `cleanup`. `sidecar` adds to the sidecar's options (appId, appPort and the
 * app token are set here), `env` to the process's (PORT and DAPR_HTTP_PORT are set here).
 */
export async function startServiceBehindSidecar(
  cleanup: Cleanup,
  role: string,
  opts: { appId: string; appToken: string; env: Record<string, string>; sidecar?: Omit<DaprdOptions, 'appId' | 'appPort' | 'daprHttpPort' | 'daprGrpcPort' | 'appApiToken'> },
): Promise<ServiceBehindSidecar> {
  const port = await freePort();
  // Every sidecar sends the app API token with every call to its app; the apps refuse their sidecar routes without it.
  const sidecar = await startSidecar(cleanup, { ...opts.sidecar, appId: opts.appId, appPort: port, appApiToken: opts.appToken });
  const process = startAppProcess(`apps/${role}/src/main.ts`, { ...opts.env, PORT: String(port), DAPR_HTTP_PORT: new URL(sidecar.httpUrl).port });
  cleanup.add(`${role} process`, async () => {
    process.child.kill('SIGTERM');
    await process.exited;
  });
  await process.ready;
  return { process, sidecar, port };
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  /** The parsed JSON body (null when empty), read by each test as it expects it. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** A JSON client of an API at `baseUrl`: bearer token (or none), method, path, optional body. */
export function apiClient(baseUrl: () => string): (token: string | null, method: string, path: string, body?: unknown) => Promise<ApiAnswer> {
  return async (token, method, path, body) => {
    const res = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...(token && { authorization: `Bearer ${token}` }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : null };
  };
}

/** A copy of deploy/dapr/local with the reminder-sweep cron at `cronSchedule`, removed by `cleanup`. */
export async function fastCronResources(cleanup: Cleanup, cronSchedule: string): Promise<string> {
  const { prepareResources } = await loadDaprdModule();
  const dir = mkdtempSync(join(tmpdir(), 'taskstream-e2e-resources-'));
  cleanup.add(`resources ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  return prepareResources({ targetDir: dir, cronSchedule });
}

// --- small HTTP apps ------------------------------------------------------------------------------

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

export type Route = (req: ReceivedRequest) => { status?: number; json?: unknown } | undefined;

/** A node:http app on 127.0.0.1 that records every request and answers with `route` (404 when it returns undefined). */
export async function startRecordingApp(cleanup: Cleanup, route: Route): Promise<{ port: number; requests: ReceivedRequest[] }> {
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received: ReceivedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      requests.push(received);
      let answer: ReturnType<Route>;
      try {
        answer = route(received);
      } catch (e) {
        answer = { status: 500, json: { error: e instanceof Error ? e.message : String(e) } };
      }
      res.writeHead(answer?.status ?? (answer ? 200 : 404), { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer?.json ?? {}));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  cleanup.add('recording app', () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return { port: (server.address() as AddressInfo).port, requests };
}

/** Polls until `check` returns a truthy value; the error names `what` and `describe()`. */
export async function waitUntil<T>(check: () => T | Promise<T>, opts: { what: string; timeoutMs: number; intervalMs?: number; describe?: () => string }): Promise<NonNullable<T>> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${opts.what}: nothing after ${opts.timeoutMs / 1000}s${opts.describe ? `\n${opts.describe()}` : ''}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
}

/** Last lines of a sidecar log, for failure messages. */
export function logTail(file: string, lines = 30): string {
  const out = spawnSync('tail', ['-n', String(lines), file], { encoding: 'utf8' });
  return `--- ${file}\n${out.stdout || out.stderr}`;
}
