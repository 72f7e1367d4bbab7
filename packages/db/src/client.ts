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
  yieldBeforeEachQuery(client);
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    location: dataDir ?? 'memory',
    ping: async () => {
      await client.query('select 1');
    },
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    listen: async (channel, onNotify) => client.listen(channel, onNotify),
    exclusive: (_name, fn) => fn(),
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
 * PGlite runs a query synchronously inside its promise, so a backlog of queries (the relay
 * publishing, consumers handling) completes as one long chain of microtasks and every timer waits
 * for all of it — the reminder scheduler's wake-up among them. Starting each top-level query or
 * transaction on a fresh event-loop turn lets timers and sockets run in between: for 10,000
 * reminders due within a minute the scheduler's p99 lateness went from 32.7 s to 56 ms
 * (bench/results/reminders.json). Queries inside a transaction are not delayed.
 */
function yieldBeforeEachQuery(client: PGlite): void {
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const query = client.query.bind(client);
  const exec = client.exec.bind(client);
  const transaction = client.transaction.bind(client);
  Object.assign(client, {
    query: async (...args: Parameters<typeof query>) => (await nextTurn(), query(...args)),
    exec: async (...args: Parameters<typeof exec>) => (await nextTurn(), exec(...args)),
    transaction: async (...args: Parameters<typeof transaction>) => (await nextTurn(), transaction(...args)),
  });
}

