import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { contractEvent } from './contract/event-bus-contract.js';
import { DeliveryPolicy, type DeliveryPolicyOptions } from './delivery-policy.js';
import { PermanentError, type EventHandler, type Subscription } from './event-bus.js';

const retry = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 };

/** A policy whose log lines are kept, parsed, for the assertions. */
function policyWithLog(options: Partial<DeliveryPolicyOptions> = {}) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const policy = new DeliveryPolicy({ system: 'inprocess', retry, logger: pino({ level: 'debug' }, sink), ...options });
  return { policy, lines };
}

const sub = (handler: EventHandler, extra: Partial<Subscription> = {}): Subscription => ({ consumer: 'policy-test', topic: 'task-updates', handler, ...extra });
const failing = (err: unknown) => async () => {
  throw err;
};

describe('DeliveryPolicy', () => {
  const event = contractEvent(randomUUID());

  it('runs the handler with the attempt number; returning means handled, nothing logged', async () => {
    const { policy, lines } = policyWithLog();
    const seen: number[] = [];
    const outcome = await policy.run({ subscription: sub(async (_e, c) => void seen.push(c.attempt)), topic: 'task-updates', event, attempt: 3 });
    expect(outcome).toEqual({ kind: 'handled' });
    expect(seen).toEqual([3]);
    expect(lines).toEqual([]);
  });

  it('acknowledges event types the subscription does not list without calling the handler', async () => {
    const { policy } = policyWithLog();
    let calls = 0;
    const s = sub(async () => void calls++, { types: ['task.created'] });
    expect(await policy.run({ subscription: s, topic: 'task-updates', event, attempt: 1 })).toEqual({ kind: 'handled' });
    expect(calls).toBe(0);
    await policy.run({ subscription: { ...s, types: ['task.changed'] }, topic: 'task-updates', event, attempt: 1 });
    expect(calls).toBe(1);
  });

  it('retries a failure before the last attempt, after backoff, and logs a warning', async () => {
    const { policy, lines } = policyWithLog();
    const outcome = await policy.run({ subscription: sub(failing(new Error('db down'))), topic: 'task-updates', event, attempt: 2, where: { partition: 1 } });
    // backoffMs(2): ceiling 200, half of it fixed, half jitter.
    expect(outcome).toMatchObject({ kind: 'retry' });
    const delay = outcome.kind === 'retry' ? outcome.delayMs : -1;
    expect(delay).toBeGreaterThanOrEqual(100);
    expect(delay).toBeLessThanOrEqual(200);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, msg: 'handler failed; retrying', consumer: 'policy-test', topic: 'task-updates', eventId: event.id, type: event.type, attempt: 2, partition: 1 });
    expect(lines[0]!.err).toMatchObject({ message: 'db down' });
  });

  it('dead-letters on the last attempt: the subscription\'s maxAttempts, else the bus default', async () => {
    const { policy, lines } = policyWithLog();
    const run = (attempt: number, maxAttempts?: number) =>
      policy.run({ subscription: sub(failing(new Error('still down')), maxAttempts === undefined ? {} : { maxAttempts }), topic: 'task-updates', event, attempt });
    expect(await run(3)).toMatchObject({ kind: 'retry' });
    expect(await run(4)).toEqual({ kind: 'dead-letter', error: 'Error: still down' });
    expect(await run(2, 2)).toEqual({ kind: 'dead-letter', error: 'Error: still down' });
    expect(await run(4, 10)).toMatchObject({ kind: 'retry' });
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [40, 'handler failed; retrying'],
      [50, 'event dead-lettered'],
      [50, 'event dead-lettered'],
      [40, 'handler failed; retrying'],
    ]);
  });

  it('dead-letters a PermanentError at once, with its text', async () => {
    const { policy, lines } = policyWithLog();
    const outcome = await policy.run({ subscription: sub(failing(new PermanentError('bad data'))), topic: 'task-updates', event, attempt: 1 });
    expect(outcome).toEqual({ kind: 'dead-letter', error: 'PermanentError: bad data' });
    expect(lines[0]).toMatchObject({ level: 50, msg: 'event dead-lettered', consumer: 'policy-test', eventId: event.id, attempt: 1 });
  });

  it('while stopping, leaves a failure for redelivery instead of retrying or dead-lettering', async () => {
    let stopping = false;
    const { policy, lines } = policyWithLog({ stopping: () => stopping });
    const s = sub(failing(new PermanentError('bad data')));
    stopping = true;
    expect(await policy.run({ subscription: s, topic: 'task-updates', event, attempt: 9 })).toEqual({ kind: 'abandoned' });
    expect(lines[0]).toMatchObject({ level: 40, msg: 'handler failed while stopping; left for redelivery' });
    // A handler that succeeds while stopping is still handled.
    expect(await policy.run({ subscription: sub(async () => {}), topic: 'task-updates', event, attempt: 1 })).toEqual({ kind: 'handled' });
  });
});
