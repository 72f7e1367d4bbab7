#!/usr/bin/env node
// A throwaway local PostgreSQL for benchmarks and test tiers, built from the machine's own
// packages (initdb/pg_ctl/postgres). It listens on 127.0.0.1 only, with trust auth and its unix
// socket inside the data directory, so it never touches a system cluster.
//
//   node scripts/postgres.mjs start [--port 5433] [--dir .taskstream/pg] [--database taskstream]
//   node scripts/postgres.mjs stop  [--dir .taskstream/pg]
//   node scripts/postgres.mjs status [--dir .taskstream/pg]
//
// From JS: `const pg = await startPostgres({ port, dir }); ...; await pg.stop();`
// When running as root (postgres refuses to), initdb/pg_ctl run as the `postgres` OS user via
// `runuser`, and the data directory is owned by that user.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, chmodSync } from 'node:fs';
import { freePort } from './infra/ports.mjs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PG_USER = 'postgres';
const DEFAULT_PORT = 5433;
const DEFAULT_DIR = '.taskstream/pg';
const DEFAULT_DATABASE = 'taskstream';

/** @param {string} message */
const log = (message) => process.stderr.write(`[postgres] ${message}\n`);

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ asPgUser?: boolean, inherit?: boolean, env?: NodeJS.ProcessEnv }} [options]
 * @returns {{ status: number | null, stdout: string, stderr: string }}
 */
function run(cmd, args, options = {}) {
  const [file, argv] = options.asPgUser && isRoot() ? ['runuser', ['-u', PG_USER, '--', cmd, ...args]] : [cmd, args];
  const result = spawnSync(file, argv, {
    // The postgres user may not be able to enter the caller's working directory.
    cwd: '/',
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C', ...options.env },
    stdio: options.inherit ? 'inherit' : 'pipe',
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/**
 * @param {string} what
 * @param {{ status: number | null, stdout: string, stderr: string }} result
 */
function check(what, result) {
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status}):\n${result.stderr || result.stdout}`);
  return result;
}

/** @param {string} dir @param {string} name */
const executableIn = (dir, name) => {
  const p = join(dir, name);
  try {
    return statSync(p).isFile() ? p : null;
  } catch {
    return null;
  }
};

/** Directories that may hold the server binaries: PATH first, then Debian's versioned folders, newest first. */
function candidateBinDirs() {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) dirs.push(join(base, v, 'bin'));
  }
  return dirs;
}

/**
 * @typedef {{ initdb: string, pg_ctl: string, postgres: string, psql: string }} PgBinaries
 * @returns {PgBinaries | null}
 */
function locateBinaries() {
  for (const dir of candidateBinDirs()) {
    const initdb = executableIn(dir, 'initdb');
    const pgCtl = executableIn(dir, 'pg_ctl');
    const postgres = executableIn(dir, 'postgres');
    if (!initdb || !pgCtl || !postgres) continue;
    // psql ships in the client package next to the server binaries on Debian; else take PATH's.
    const psql = executableIn(dir, 'psql') ?? candidateBinDirs().map((d) => executableIn(d, 'psql')).find(Boolean);
    if (!psql) continue;
    return { initdb, pg_ctl: pgCtl, postgres, psql };
  }
  return null;
}

/** Finds the PostgreSQL binaries, installing the distribution package when they are missing and we are root. */
export function findPostgres() {
  const found = locateBinaries();
  if (found) return found;
  if (!isRoot()) {
    throw new Error('PostgreSQL server binaries (initdb, pg_ctl, postgres) not found on PATH or in /usr/lib/postgresql/*/bin; install the "postgresql" package.');
  }
  log('initdb/pg_ctl not found: installing the "postgresql" package with apt-get…');
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => run('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql'], { inherit: true, env });
  if (install().status !== 0) {
    log('apt-get install failed; running apt-get update and retrying…');
    check('apt-get update', run('apt-get', ['update'], { inherit: true, env }));
    check('apt-get install postgresql', install());
  }
  const installed = locateBinaries();
  if (!installed) throw new Error('installed the "postgresql" package but still cannot find initdb/pg_ctl/postgres');
  log(`installed PostgreSQL (${installed.postgres})`);
  return installed;
}

/** Makes sure the unprivileged OS user postgres runs as exists; returns its uid/gid. */
function ensurePgUser() {
  const lookup = () => {
    const uid = run('id', ['-u', PG_USER]);
    const gid = run('id', ['-g', PG_USER]);
    return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) } : null;
  };
  const existing = lookup();
  if (existing) return existing;
  log(`creating system user "${PG_USER}"…`);
  check('useradd', run('useradd', ['-r', '-M', '-d', '/nonexistent', '-s', '/usr/sbin/nologin', PG_USER]));
  const created = lookup();
  if (!created) throw new Error(`could not create the "${PG_USER}" user`);
  return created;
}

/** @param {string} dir @param {number} uid @param {number} gid */
function chownTree(dir, uid, gid) {
  chownSync(dir, uid, gid);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) chownTree(p, uid, gid);
    else if (!entry.isSymbolicLink()) chownSync(p, uid, gid);
  }
}

/** @param {string} dir */
const isCluster = (dir) => existsSync(join(dir, 'PG_VERSION'));

/**
 * The port a running cluster in `dir` listens on, or null when it is not running.
 * @param {PgBinaries} bins
 * @param {string} dir
 * @returns {number | null}
 */
function runningPort(bins, dir) {
  if (!isCluster(dir)) return null;
  if (run(bins.pg_ctl, ['-D', dir, 'status'], { asPgUser: true }).status !== 0) return null;
  try {
    // postmaster.pid: pid, data dir, start time, port, socket dir, listen address, …
    const port = Number(readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n')[3]);
    return Number.isInteger(port) && port > 0 ? port : null;
  } catch {
    return null;
  }
}

/** @param {string} name */
const quoteIdent = (name) => `"${name.replace(/"/g, '""')}"`;
/** @param {string} value */
const quoteLiteral = (value) => `'${value.replace(/'/g, "''")}'`;

/**
 * @param {PgBinaries} bins
 * @param {number} port
 * @param {string} sql
 * @param {string} [database]
 */
function psql(bins, port, sql, database = 'postgres') {
  return run(bins.psql, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', PG_USER, '-d', database, '-tAc', sql]);
}

/**
 * Creates `name` unless it exists.
 * @param {PgBinaries} bins
 * @param {number} port
 * @param {string} name
 */
function ensureDatabase(bins, port, name) {
  const exists = check('psql', psql(bins, port, `select 1 from pg_database where datname = ${quoteLiteral(name)}`));
  if (exists.stdout.trim() !== '1') check(`create database ${name}`, psql(bins, port, `create database ${quoteIdent(name)}`));
}

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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
  const say = options.quiet ? () => {} : log;
  const dir = resolve(options.dir ?? DEFAULT_DIR);
  const database = options.database ?? DEFAULT_DATABASE;
  const bins = findPostgres();

  mkdirSync(dir, { recursive: true });
  if (isRoot()) {
    const { uid, gid } = ensurePgUser();
    chownTree(dir, uid, gid);
    // Every ancestor must be enterable by the postgres user (mkdtemp makes 0700 folders).
    const denied = run('test', ['-x', dir], { asPgUser: true }).status !== 0;
    if (denied) throw new Error(`the "${PG_USER}" user cannot enter ${dir}; make its parent folders world-executable (chmod o+x)`);
  }
  chmodSync(dir, 0o700);

  const already = runningPort(bins, dir);
  let port;
  let reused = false;
  if (already) {
    port = already;
    reused = true;
    say(`already running in ${dir} on port ${port}`);
  } else {
    if (!isCluster(dir)) {
      if (readdirSync(dir).length > 0) throw new Error(`${dir} is neither empty nor a PostgreSQL data directory`);
      say(`initdb ${dir} (trust auth, UTF8, locale C)…`);
      check('initdb', run(bins.initdb, ['-D', dir, '-U', PG_USER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-instructions'], { asPgUser: true }));
    }
    port = options.port === 0 ? await freePort() : (options.port ?? DEFAULT_PORT);
    const settings = { listen_addresses: '127.0.0.1', port, unix_socket_directories: dir, ...options.settings };
    // pg_ctl hands -o to a shell: double quotes keep paths with spaces together.
    const serverArgs = Object.entries(settings)
      .map(([k, v]) => `-c ${k}="${String(v).replace(/(["\\$`])/g, '\\$1')}"`)
      .join(' ');
    say(`starting on 127.0.0.1:${port}…`);
    const started = run(bins.pg_ctl, ['-D', dir, '-l', join(dir, 'server.log'), '-o', serverArgs, '-w', '-t', '60', 'start'], { asPgUser: true });
    if (started.status !== 0) {
      let tail = '';
      try {
        tail = readFileSync(join(dir, 'server.log'), 'utf8').split('\n').slice(-20).join('\n');
      } catch {
        // no log yet
      }
      throw new Error(`pg_ctl start failed (exit ${started.status}):\n${started.stderr || started.stdout}\n${tail}`);
    }
  }

  // pg_ctl -w waits for the postmaster; also wait until a TCP client gets in.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ping = psql(bins, port, 'select 1');
    if (ping.status === 0) break;
    if (Date.now() > deadline) throw new Error(`PostgreSQL on port ${port} does not accept connections:\n${ping.stderr}`);
    await sleep(200);
  }
  ensureDatabase(bins, port, database);
  const version = check('psql', psql(bins, port, 'select version()')).stdout.trim();
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
      ensureDatabase(bins, port, name);
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
  const say = options.quiet ? () => {} : log;
  const dir = resolve(options.dir ?? DEFAULT_DIR);
  if (!isCluster(dir)) {
    say(`no cluster in ${dir}`);
    return;
  }
  const bins = findPostgres();
  if (run(bins.pg_ctl, ['-D', dir, 'status'], { asPgUser: true }).status !== 0) {
    say(`not running (${dir})`);
    return;
  }
  check('pg_ctl stop', run(bins.pg_ctl, ['-D', dir, '-m', 'fast', '-w', '-t', '60', 'stop'], { asPgUser: true }));
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
  const usage = 'usage: node scripts/postgres.mjs start|stop|status [--port 5433] [--dir .taskstream/pg] [--database taskstream]';
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
    const port = runningPort(findPostgres(), dir);
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
