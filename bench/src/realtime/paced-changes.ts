import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { progress } from '../pool.js';
import type { Change } from './changer.js';
import type { Client } from './connect-clients.js';
import { key, type Inbox } from './inbox.js';
import { params, type Mode } from './params.js';

/** One paced line's setting: who changes what, how, how fast. */
export interface Line {
  label: string;
  mode: Mode;
  rate: number;
  clients: Client[];
  inbox: Inbox;
  change: Change;
  signal: AbortSignal;
}

/** A change that succeeded: its inbox key, when it started and when it returned (performance time). */
export interface Done {
  key: string;
  t0: number;
  t1: number;
}

/**
 * `count` changes, round-robin over the users: change i starts at i / rate seconds, whatever the
 * others do, so a slow pipeline shows as latency rather than a lower rate. Then waits for the
 * messages, up to the drain time.
 */
export async function pacedChanges(line: Line, count: number, tag: string): Promise<{ done: Done[]; failed: number }> {
  const { label, mode, rate, clients, signal } = line;
  const started = performance.now();
  const done: Done[] = [];
  let failed = 0;
  const jobs: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const wait = started + (i * 1000) / rate - performance.now();
    if (wait > 0) await sleep(wait, undefined, { signal });
    const c = clients[i % clients.length]!;
    jobs.push(
      (async () => {
        const t0 = performance.now();
        try {
          const version = await line.change(c, `${tag} ${i}`);
          done.push({ key: key(c.taskId, version), t0, t1: performance.now() });
        } catch (e) {
          failed++;
          if (failed <= 3) progress(`${label} ${mode} ${rate}/s: change failed: ${e instanceof Error ? e.message : String(e)}`);
        }
      })(),
    );
    if ((i + 1) % Math.ceil(count / 3) === 0 && tag === 'measured') progress(`${label} ${mode} ${rate}/s: ${i + 1}/${count} changes`);
  }
  await Promise.all(jobs);
  await line.inbox.wait(done.map((d) => d.key), params.socketsPerUser, performance.now() + params.drainSeconds * 1000, signal);
  return { done, failed };
}
