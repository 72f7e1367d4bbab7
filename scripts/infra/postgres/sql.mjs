// SQL against a local server through psql over TCP as the postgres superuser (trust auth), for
// the few statements the scripts need: readiness, version, creating databases.
import { PG_USER, runPg } from './os-user.mjs';

/** @param {string} name */
const quoteIdent = (name) => `"${name.replace(/"/g, '""')}"`;
/** @param {string} value */
const quoteLiteral = (value) => `'${value.replace(/'/g, "''")}'`;

/**
 * Runs one statement; resolves with its unaligned output. Rejects on an error unless `allowFailure`.
 * @param {import('./binaries.mjs').PgBinaries} bins
 * @param {number} port
 * @param {string} sql
 * @param {{ database?: string, allowFailure?: boolean }} [opts]
 */
export function psql(bins, port, sql, opts = {}) {
  const args = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', PG_USER, '-d', opts.database ?? 'postgres', '-tAc', sql];
  return runPg(bins.psql, args, { allowFailure: opts.allowFailure });
}

/**
 * Creates `name` unless it exists.
 * @param {import('./binaries.mjs').PgBinaries} bins
 * @param {number} port
 * @param {string} name
 */
export async function ensureDatabase(bins, port, name) {
  const exists = await psql(bins, port, `select 1 from pg_database where datname = ${quoteLiteral(name)}`);
  if (exists.stdout.trim() !== '1') await psql(bins, port, `create database ${quoteIdent(name)}`);
}
