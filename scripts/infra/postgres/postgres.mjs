#!/usr/bin/env node
// A throwaway local PostgreSQL for benchmarks and test tiers, built from the machine's own
// packages (initdb/pg_ctl/postgres). It listens on 127.0.0.1 only, with trust auth and its unix
// socket inside the data directory, so it never touches a system cluster.
//
//   node scripts/infra/postgres/postgres.mjs start [--port 5433] [--dir .taskstream/pg] [--database taskstream]
//   node scripts/infra/postgres/postgres.mjs stop  [--dir .taskstream/pg]
//   node scripts/infra/postgres/postgres.mjs status [--dir .taskstream/pg]
//
// From JS: `const pg = await startPostgres({ port, dir }); ...; await pg.stop();`
// When running as root (postgres refuses to), initdb/pg_ctl run as the `postgres` OS user via
// `runuser`, and the data directory is owned by that user (os-user.mjs).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { say as sayPart, tail, waitFor } from '../lib.mjs';
import { freePort } from '../ports.mjs';
import { findPostgres } from './binaries.mjs';
import { PG_USER, prepareDataDir, runPg } from './os-user.mjs';
import { ensureDatabase, psql } from './sql.mjs';

const PART = 'postgres';
const DEFAULT_PORT = 5433;
const DEFAULT_DIR = '.taskstream/pg';
const DEFAULT_DATABASE = 'taskstream';

/** @param {string} dir */
const isCluster = (dir) => existsSync(join(dir, 'PG_VERSION'));

/**
 * The port a running cluster in `dir` listens on, or null when it is not running.
 * @param {import('./binaries.mjs').PgBinaries} bins
 * @param {string} dir
 * @returns {Promise<number | null>}
 */
async function runningPort(bins, dir) {
  if (!isCluster(dir)) return null;
  if ((await runPg(bins.pg_ctl, ['-D', dir, 'status'], { asPgUser: true, allowFailure: true })).code !== 0) return null;
  try {
    // postmaster.pid: pid, data dir, start time, port, socket dir, listen address, …
    const port = Number(readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n')[3]);
    return Number.isInteger(port) && port > 0 ? port : null;
  } catch {
    return null;
  }
}

/**
 * Runs initdb in an empty `dir`, or pg_ctl start on its cluster; resolves with the port.
 * @param {import('./binaries.mjs').PgBinaries} bins
 * @param {string} dir
 * @param {StartOptions} options
 * @param {(message: string) => void} say
 */
async function initAndStart(bins, dir, options, say) {
  if (!isCluster(dir)) {
    if (readdirSync(dir).length > 0) throw new Error(`${dir} is neither empty nor a PostgreSQL data directory`);
    say(`initdb ${dir} (trust auth, UTF8, locale C)…`);
    await runPg(bins.initdb, ['-D', dir, '-U', PG_USER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-instructions'], { asPgUser: true });
  }
  const port = options.port === 0 ? await freePort() : (options.port ?? DEFAULT_PORT);
  const settings = { listen_addresses: '127.0.0.1', port, unix_socket_directories: dir, ...options.settings };
  // pg_ctl hands -o to a shell: double quotes keep paths with spaces together.
  const serverArgs = Object.entries(settings)
    .map(([k, v]) => `-c ${k}="${String(v).replace(/(["\\$`])/g, '\\$1')}"`)
    .join(' ');
  say(`starting on 127.0.0.1:${port}…`);
  const log = join(dir, 'server.log');
  try {
    await runPg(bins.pg_ctl, ['-D', dir, '-l', log, '-o', serverArgs, '-w', '-t', '60', 'start'], { asPgUser: true });
  } catch (e) {
    throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- ${log}\n${tail(log, 20)}`);
  }
  return port;
}

/**
 * @typedef {object} StartOptions
 * @property {number} [port] TCP port on 127.0.0.1; 0 picks a free one (default 5433)
 * @property {string} [dir] data directory, created and initialised when empty (default .taskstream/pg)
 * @property {string} [database] database created after start (default "taskstream")
 * @property {Record<string, string | number>} [settings] extra server settings, passed as -c key=value
 * @property {boolean} [quiet] no progress lines on stderr
 *
 * @typedef {object} RunningPostgres
 * @property {string} url postgres://postgres@127.0.0.1:<port>/<database>
 * @property {number} port
 * @property {string} dir absolute data directory
 * @property {string} version e.g. "PostgreSQL 15.18 (Debian …)"
 * @property {boolean} reused true when a server was already running in dir (then stop() leaves it running)
 * @property {(name: string) => string} urlFor the URL of another database on the same server
 * @property {(name: string) => Promise<string>} createDatabase creates a database and returns its URL
 * @property {() => Promise<void>} stop
 */

/**
 * Starts (initialising if needed) a loopback-only PostgreSQL in `dir`, waits until it accepts
 * connections and creates the database.
 * @param {StartOptions} [options]
 * @returns {Promise<RunningPostgres>}
 */
export async function startPostgres(options = {}) {
  const say = options.quiet ? () => {} : (/** @type {string} */ message) => sayPart(PART, message);
  const dir = resolve(options.dir ?? DEFAULT_DIR);
  const database = options.database ?? DEFAULT_DATABASE;
  const bins = await findPostgres();
  await prepareDataDir(dir);

  const already = await runningPort(bins, dir);
  if (already) say(`already running in ${dir} on port ${already}`);
  const port = already ?? (await initAndStart(bins, dir, options, say));
  const reused = already !== null;

  // pg_ctl -w waits for the postmaster; also wait until a TCP client gets in.
  let lastError = '';
  await waitFor(
    async () => {
      const ping = await psql(bins, port, 'select 1', { allowFailure: true });
      lastError = ping.stderr;
      return ping.code === 0;
    },
    { timeoutMs: 30_000, intervalMs: 200, what: `PostgreSQL on port ${port} accepting connections`, describe: () => lastError },
  );
  await ensureDatabase(bins, port, database);
  const version = (await psql(bins, port, 'select version()')).stdout.trim();
  /** @param {string} name */
  const urlFor = (name) => `postgres://${PG_USER}@127.0.0.1:${port}/${encodeURIComponent(name)}`;
  say(`ready: ${urlFor(database)}`);

  return {
    url: urlFor(database),
    port,
    dir,
    version,
    reused,
    urlFor,
    async createDatabase(name) {
      await ensureDatabase(bins, port, name);
      return urlFor(name);
    },
    async stop() {
      if (reused) return;
      await stopPostgres({ dir, quiet: options.quiet ?? false });
    },
  };
}

/**
 * Stops the server running in `dir` (fast shutdown); does nothing when none runs.
 * @param {{ dir?: string, quiet?: boolean }} [options]
 * @returns {Promise<void>}
 */
export async function stopPostgres(options = {}) {
  const say = options.quiet ? () => {} : (/** @type {string} */ message) => sayPart(PART, message);
  const dir = resolve(options.dir ?? DEFAULT_DIR);
  if (!isCluster(dir)) {
    say(`no cluster in ${dir}`);
    return;
  }
  const bins = await findPostgres();
  if ((await runPg(bins.pg_ctl, ['-D', dir, 'status'], { asPgUser: true, allowFailure: true })).code !== 0) {
    say(`not running (${dir})`);
    return;
  }
  await runPg(bins.pg_ctl, ['-D', dir, '-m', 'fast', '-w', '-t', '60', 'stop'], { asPgUser: true });
  say(`stopped (${dir})`);
}

/** @param {string[]} argv */
function parseArgs(argv) {
  /** @type {{ command: string | undefined, port?: number, dir?: string, database?: string }} */
  const out = { command: argv[0] };
  for (let i = 1; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--port') out.port = Number(value);
    else if (flag === '--dir') out.dir = value;
    else if (flag === '--database') out.database = value;
    else throw new Error(`unknown option ${flag}`);
    i++;
  }
  if (out.port !== undefined && (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535)) throw new Error('--port must be 0-65535');
  return out;
}

async function main() {
  const usage = 'usage: node scripts/infra/postgres/postgres.mjs start|stop|status [--port 5433] [--dir .taskstream/pg] [--database taskstream]';
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : String(e)}\n${usage}`);
    process.exit(2);
  }
  if (args.command === 'start') {
    const pg = await startPostgres({ port: args.port ?? DEFAULT_PORT, dir: args.dir ?? DEFAULT_DIR, database: args.database ?? DEFAULT_DATABASE });
    console.log(`DATABASE_URL=${pg.url}`);
  } else if (args.command === 'stop') {
    await stopPostgres({ dir: args.dir ?? DEFAULT_DIR });
  } else if (args.command === 'status') {
    const dir = resolve(args.dir ?? DEFAULT_DIR);
    const port = await runningPort(await findPostgres(), dir);
    console.log(port ? `running on 127.0.0.1:${port} (${dir})` : `not running (${dir})`);
    process.exit(port ? 0 : 3);
  } else {
    console.error(usage);
    process.exit(2);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`[postgres] ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
