// The OS side of a local PostgreSQL: postgres refuses to run as root, so when we are root the
// server programs run as the unprivileged `postgres` user (via runuser), who must own the data
// directory and be able to enter it.
import { chmodSync, chownSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isRoot, runCommand, say } from '../lib.mjs';

export const PG_USER = 'postgres';

/**
 * Runs a PostgreSQL program from `/` (the postgres user may not be able to enter the caller's
 * working directory) with LC_ALL=C; as the postgres user when `asPgUser` and we are root.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ asPgUser?: boolean, allowFailure?: boolean }} [opts]
 */
export function runPg(cmd, args, opts = {}) {
  const [file, argv] = opts.asPgUser && isRoot() ? ['runuser', ['-u', PG_USER, '--', cmd, ...args]] : [cmd, args];
  return runCommand(file, argv, { cwd: '/', env: { LC_ALL: 'C' }, allowFailure: opts.allowFailure });
}

/** Makes sure the unprivileged OS user postgres runs as exists; returns its uid/gid. */
async function ensurePgUser() {
  const lookup = async () => {
    const uid = await runCommand('id', ['-u', PG_USER], { allowFailure: true });
    const gid = await runCommand('id', ['-g', PG_USER], { allowFailure: true });
    return uid.code === 0 && gid.code === 0 ? { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) } : null;
  };
  const existing = await lookup();
  if (existing) return existing;
  say('postgres', `creating system user "${PG_USER}"…`);
  await runCommand('useradd', ['-r', '-M', '-d', '/nonexistent', '-s', '/usr/sbin/nologin', PG_USER]);
  const created = await lookup();
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

/**
 * Creates the data directory (mode 0700, as initdb wants it); as root, hands it to the postgres
 * user and checks that user can reach it.
 * @param {string} dir absolute
 */
export async function prepareDataDir(dir) {
  mkdirSync(dir, { recursive: true });
  if (isRoot()) {
    const { uid, gid } = await ensurePgUser();
    chownTree(dir, uid, gid);
    // Every ancestor must be enterable by the postgres user (mkdtemp makes 0700 folders).
    const denied = (await runPg('test', ['-x', dir], { asPgUser: true, allowFailure: true })).code !== 0;
    if (denied) throw new Error(`the "${PG_USER}" user cannot enter ${dir}; make its parent folders world-executable (chmod o+x)`);
  }
  chmodSync(dir, 0o700);
}
