import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import pg from 'pg';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/** Either driver: both speak the same SQL, so commands and queries take this type. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type DbOrTx = Db | Tx;

export interface DatabaseHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Where the data lives, for the start-up banner: a folder, "memory" or the URL without password. */
  location: string;
  ping(): Promise<void>;
  /** Connections in use/idle/waiting, for /metrics; PGlite has one in-process connection. */
  poolStats(): { total: number; idle: number; waiting: number };
  /**
   * Calls `onNotify` on every NOTIFY to `channel` (delivered on commit). With PGlite this is an
   * in-process signal; with PostgreSQL a dedicated connection that reconnects after errors.
   */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  /**
   * Runs `fn` while holding a database-wide lock named `name` (a PostgreSQL advisory lock on its
   * own connection), so processes sharing a database take turns; PGlite has one process anyway.
   */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Runs `fn` with its queries ahead of ordinary ones: for work whose lateness is the product
   * (the reminder scheduler). PGlite has one connection, where a query otherwise waits for every
   * query queued before it; PostgreSQL's pool runs them side by side, so there it changes nothing.
   * Queries must start inside `fn` (await them there: a drizzle query is lazy and would start at
   * the caller's await). Work that a NOTIFY from `fn` wakes is ordinary again.
   */
  urgent<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type DatabaseOptions =
  | { url: string; poolMax?: number; applicationName?: string }
  | { dataDir: string }
  | { memory: true };

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if ('url' in options) return openPostgres(options.url, options.poolMax ?? 10, options.applicationName);
  const dataDir = 'dataDir' in options ? options.dataDir : undefined;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = dataDir ? new PGlite(dataDir) : new PGlite();
  await client.waitReady;
  const lanes = new PgliteLanes();
  lanes.install(client);
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    location: dataDir ?? 'memory',
    ping: async () => {
      await client.query('select 1');
    },
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    listen: async (channel, onNotify) => client.listen(channel, () => lanes.ordinary(onNotify)),
    exclusive: (_name, fn) => fn(),
    urgent: (fn) => lanes.urgent(fn),
    close: () => client.close(),
  };
}

async function openPostgres(url: string, max: number, applicationName = 'taskstream'): Promise<DatabaseHandle> {
  const pool = new pg.Pool({ connectionString: url, max, application_name: applicationName });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  const redacted = new URL(url);
  redacted.password = redacted.password ? '***' : '';
  return {
    db,
    kind: 'postgres',
    location: redacted.toString(),
    ping: async () => {
      await pool.query('select 1');
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    listen: (channel, onNotify) => listenPostgres(url, channel, onNotify),
    exclusive: async (name, fn) => {
      const lock = new pg.Client({ connectionString: url, application_name: `${applicationName}-lock` });
      await lock.connect();
      try {
        await lock.query('select pg_advisory_lock(hashtext($1))', [name]);
        return await fn();
      } finally {
        await lock.end();
      }
    },
    urgent: (fn) => fn(),
    close: () => pool.end(),
  };
}

/** LISTEN on its own connection; after a lost connection it reconnects and fires once, since notifications may have been missed. */
async function listenPostgres(url: string, channel: string, onNotify: () => void): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const reconnect = (): void => {
    if (!stopped) retry = setTimeout(() => void connect().then(onNotify, reconnect), 1000);
  };
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url, application_name: 'taskstream-listen' });
    c.on('notification', (n) => {
      if (n.channel === channel) onNotify();
    });
    c.on('error', () => {
      void c.end().catch(() => {});
      reconnect();
    });
    await c.connect();
    await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    client = c;
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => {});
  };
}

/**
 * The order in which top-level PGlite queries, execs and transactions start. PGlite runs one at a
 * time anyway (a mutex around each), so admitting one at a time here costs no concurrency; it
 * decides who goes next:
 * - urgent work (inside `urgent(fn)`, followed through async calls) before everything queued
 *   in the ordinary lane — the reminder scheduler's claim no longer waits behind a backlog of
 *   relay and consumer transactions;
 * - each on a fresh event-loop turn. PGlite runs a query synchronously inside its promise, so
 *   a backlog otherwise completes as one long chain of microtasks and every timer waits for all
 *   of it. With the turn alone, for 10,000 reminders due within a minute the scheduler's p99
 *   lateness went from 32.7 s to 141 ms (bench/results/reminders.json).
 * Queries inside a transaction use the transaction's connection and are not queued here.
 */
class PgliteLanes {
  private readonly context = new AsyncLocalStorage<true>();
  private readonly waiting = { urgent: [] as Array<() => void>, normal: [] as Array<() => void> };
  private busy = false;

  urgent<T>(fn: () => Promise<T>): Promise<T> {
    return this.context.run(true, fn);
  }

  /**
   * Runs `fn` outside any urgent work. PGlite calls LISTEN callbacks inside the query that sent the
   * NOTIFY, so without this the relay woken by the scheduler's claim — and every consumer it feeds —
   * would inherit its urgency and queue alongside it.
   */
  ordinary(fn: () => void): void {
    this.context.exit(fn);
  }

  install(client: PGlite): void {
    const query = client.query.bind(client);
    const exec = client.exec.bind(client);
    const transaction = client.transaction.bind(client);
    Object.assign(client, {
      query: (...args: Parameters<typeof query>) => this.admit(() => query(...args)),
      exec: (...args: Parameters<typeof exec>) => this.admit(() => exec(...args)),
      transaction: (...args: Parameters<typeof transaction>) => this.admit(() => transaction(...args)),
    });
  }

  private async admit<T>(operation: () => Promise<T>): Promise<T> {
    const lane = this.context.getStore() ? this.waiting.urgent : this.waiting.normal;
    await new Promise<void>((resolve) => {
      lane.push(resolve);
      this.next();
    });
    try {
      return await operation();
    } finally {
      this.busy = false;
      this.next();
    }
  }

  private next(): void {
    if (this.busy) return;
    const start = this.waiting.urgent.shift() ?? this.waiting.normal.shift();
    if (!start) return;
    this.busy = true;
    setImmediate(start);
  }
}
