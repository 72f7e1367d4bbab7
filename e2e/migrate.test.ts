import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, queryRows } from '@taskstream/db';
import { sql } from 'drizzle-orm';
import { ROOT } from './infra-stack.js';

// The migration entry point the Helm hook Job runs, as a real process on a PGlite data folder.
const dataDir = mkdtempSync(join(tmpdir(), 'taskstream-migrate-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function migrate(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', 'apps/api/src/migrate-main.ts'], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('close', (code) => resolve({ code, output }));
  });
}

describe('migrate-main (the Helm migration Job)', () => {
  it('applies every migration and exits 0; a second run finds nothing to do', async () => {
    const first = await migrate({ DATA_DIR: dataDir });
    expect(first.code, first.output).toBe(0);
    expect(first.output).toContain('migrations applied');
    expect((await migrate({ DATA_DIR: dataDir })).code).toBe(0);
    const db = await openDatabase({ dataDir: join(dataDir, 'pglite') });
    try {
      const tables = await queryRows<{ name: string }>(db.db, sql`select table_name as name from information_schema.tables where table_schema = 'public'`);
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['tasks', 'outbox', 'audit_entries', 'reminder_schedules', 'notifications', 'state_entries', 'chat_conversations']));
    } finally {
      await db.close();
    }
  }, 120_000);

  it('exits 2 naming the variable when the configuration is bad', async () => {
    const bad = await migrate({ DATA_DIR: dataDir, DATABASE_URL: 'mysql://nope' });
    expect(bad.code).toBe(2);
    expect(bad.output).toContain('DATABASE_URL');
  }, 60_000);
});
