// Where the PostgreSQL server programs are: PATH first, then Debian's versioned folders
// (/usr/lib/postgresql/<version>/bin, newest first); installed with apt-get when missing and we
// are root.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { aptInstall, isRoot, say } from '../lib.mjs';

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

/**
 * Finds the PostgreSQL binaries, installing the distribution package when they are missing and we are root.
 * @returns {Promise<PgBinaries>}
 */
export async function findPostgres() {
  const found = locateBinaries();
  if (found) return found;
  if (!isRoot()) {
    throw new Error('PostgreSQL server binaries (initdb, pg_ctl, postgres) not found on PATH or in /usr/lib/postgresql/*/bin; install the "postgresql" package.');
  }
  await aptInstall('postgres', 'postgresql', 'initdb/pg_ctl not found');
  const installed = locateBinaries();
  if (!installed) throw new Error('installed the "postgresql" package but still cannot find initdb/pg_ctl/postgres');
  say('postgres', `installed PostgreSQL (${installed.postgres})`);
  return installed;
}
