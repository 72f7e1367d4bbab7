import { setTimeout as sleep } from 'node:timers/promises';
import { progress } from '../pool.js';

/**
 * Waits until `ready` says so, polling; throws when `signal` aborts or `deadline` (epoch ms)
 * passes. With `describe`, says every 10 s what it is still waiting for, so a slow setup shows.
 */
export async function until(what: string, ready: () => Promise<boolean>, signal: AbortSignal, deadline: number, hint = '', describe?: () => Promise<string>): Promise<void> {
  let reported = Date.now();
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached in time${hint}`);
    if (describe && Date.now() - reported > 10_000) {
      reported = Date.now();
      progress(`${what}: ${await describe()}`);
    }
    await sleep(250, undefined, { signal });
  }
}
