import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Records every ESM URL the child resolves (the hook runs off the main thread, so: to a file). */
const HOOK = `
import { appendFileSync } from 'node:fs';
let file;
export async function initialize(data) { file = data.file; }
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(file, resolved.url + '\\n');
  return resolved;
}`;

/** Plus CommonJS modules, which Node 20 loads without the ESM hooks. */
const CHILD = `
import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
const file = process.env.LOADED_FILE;
register('data:text/javascript,' + encodeURIComponent(process.env.HOOK), import.meta.url, { data: { file } });
await import(process.env.ENTRY);
appendFileSync(file, Object.keys(createRequire(import.meta.url).cache).join('\\n') + '\\n');
process.exit(0);`;

/** Every module path a fresh Node process loads to import `entry`, as the apps run it. */
async function modulesLoadedBy(entry: string): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'bus-entry-'));
  const file = join(dir, 'loaded.txt');
  try {
    await promisify(execFile)(process.execPath, ['--conditions=development', '--import', 'tsx', '--input-type=module', '-e', CHILD], {
      cwd: PACKAGE_DIR,
      env: { ...process.env, LOADED_FILE: file, HOOK, ENTRY: entry },
      timeout: 60_000,
    });
    return (await readFile(file, 'utf8')).split('\n').filter(Boolean);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const kafkaClient = (path: string) => path.includes('@platformatic/kafka');
const busAdapter = (kind: string) => (path: string) => new RegExp(`/packages/bus/(src|dist)/${kind}/`).test(path);

describe('entry points', () => {
  it('@taskstream/bus (the embedded process) loads neither the Kafka client nor the Dapr adapter', { timeout: 90_000 }, async () => {
    const loaded = await modulesLoadedBy('@taskstream/bus');
    expect(loaded.some((p) => p.includes('/packages/bus/src/index.ts'))).toBe(true);
    expect(loaded.filter(kafkaClient)).toEqual([]);
    expect(loaded.filter(busAdapter('kafka'))).toEqual([]);
    expect(loaded.filter(busAdapter('dapr'))).toEqual([]);
  });

  // The control: the same check sees the client when it is loaded.
  it('@taskstream/bus/kafka loads the Kafka client', { timeout: 90_000 }, async () => {
    const loaded = await modulesLoadedBy('@taskstream/bus/kafka');
    expect(loaded.some(kafkaClient)).toBe(true);
    expect(loaded.filter(busAdapter('dapr'))).toEqual([]);
  });

  it('@taskstream/bus/dapr loads the Dapr adapter without the Kafka client', { timeout: 90_000 }, async () => {
    const loaded = await modulesLoadedBy('@taskstream/bus/dapr');
    expect(loaded.some(busAdapter('dapr'))).toBe(true);
    expect(loaded.filter(kafkaClient)).toEqual([]);
  });
});
