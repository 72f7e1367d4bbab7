import { monitorEventLoopDelay } from 'node:perf_hooks';
import { eventLoopDelayMs } from '../stats.js';
import type { Inbox } from './inbox.js';
import { pacedChanges, type Done, type Line } from './paced-changes.js';
import { params } from './params.js';
import { stats, type Result } from './result.js';

/** A warm-up line, then the measured one: rate × seconds paced changes, and what reached the sockets. */
export async function measure(line: Line): Promise<Omit<Result, 'database' | 'server'>> {
  const { mode, rate } = line;
  if (params.warmup > 0) await pacedChanges(line, params.warmup, 'warm-up');
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const changes = rate * params.seconds;
  const { done, failed } = await pacedChanges(line, changes, 'measured');
  loop.disable();
  const a = arrivals(done, line.inbox);
  const http = mode === 'http';
  return {
    mode,
    rate,
    changes,
    expectedMessages: changes * params.socketsPerUser,
    commitToMessageMs: stats(a.commitMs),
    ...(http && { requestToMessageMs: stats(a.requestMs) }),
    commitToMessageP50ByThirdMs: [stats(a.thirds[0]).p50, stats(a.thirds[1]).p50, stats(a.thirds[2]).p50],
    changeMs: stats(done.map((d) => d.t1 - d.t0)),
    ...(http && { beforeResponse: a.beforeResponse }),
    eventLoopDelayMs: eventLoopDelayMs(loop),
    checks: { missingMessages: a.missing + failed * params.socketsPerUser, failedChanges: failed, ok: a.missing === 0 && failed === 0 },
  };
}

/** Each socket's arrival of each change's message, measured from its commit and from its start. */
function arrivals(done: Done[], inbox: Inbox) {
  const commitMs: number[] = [];
  const requestMs: number[] = [];
  const thirds: [number[], number[], number[]] = [[], [], []];
  const first = Math.min(...done.map((d) => d.t0));
  const span = params.seconds * 1000;
  let missing = 0;
  let beforeResponse = 0;
  for (const d of done) {
    const arrived = inbox.arrivals.get(d.key) ?? [];
    missing += Math.max(0, params.socketsPerUser - arrived.length);
    for (const at of arrived) {
      if (at < d.t1) beforeResponse++;
      commitMs.push(at - d.t1);
      requestMs.push(at - d.t0);
      thirds[Math.min(2, Math.max(0, Math.floor(((d.t0 - first) / span) * 3)))]!.push(at - d.t1);
    }
  }
  return { commitMs, requestMs, thirds, missing, beforeResponse };
}
