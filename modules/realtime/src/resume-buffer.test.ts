import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@taskstream/db';
import { TableStateStore } from '@taskstream/state';
import { createTestDatabase } from '@taskstream/testing';
import type { RealtimeMessage } from './realtime-message.js';
import { ResumeBuffer, resumeKey } from './resume-buffer.js';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const message = (id = randomUUID()): RealtimeMessage => ({ id, type: 'task.changed', data: { n: id } });
const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();

describe('ResumeBuffer', () => {
  it('numbers a user\'s messages, keeps the newest `size`, and answers a known id with its seq without writing', async () => {
    const state = new TableStateStore(database.db);
    const buffer = new ResumeBuffer(state, { size: 3, ttlSeconds: 3600 });
    const user = randomUUID();
    const sent = Array.from({ length: 5 }, () => message());
    const results = [];
    for (const [i, m] of sent.entries()) results.push(await buffer.append(user, m, at(i)));
    expect(results).toEqual([1, 2, 3, 4, 5].map((seq) => ({ status: 'appended', seq })));
    expect((await buffer.read(user)).map((e) => [e.seq, e.message])).toEqual([[3, sent[2]], [4, sent[3]], [5, sent[4]]]);
    const before = await state.get(resumeKey(user));
    expect(await buffer.append(user, sent[3]!, at(3))).toEqual({ status: 'duplicate', seq: 4 });
    expect(await state.get(resumeKey(user))).toEqual(before);
    expect(await buffer.read(randomUUID())).toEqual([]);
  });

  it('refuses an event older than a full window (a lagging replica), so no old state lands after newer ones', async () => {
    const buffer = new ResumeBuffer(new TableStateStore(database.db), { size: 2, ttlSeconds: 3600 });
    const user = randomUUID();
    const trimmed = message();
    await buffer.append(user, trimmed, at(10));
    await buffer.append(user, message(), at(11));
    await buffer.append(user, message(), at(12));
    expect(await buffer.append(user, trimmed, at(10))).toEqual({ status: 'stale' });
    expect((await buffer.read(user)).map((e) => e.seq)).toEqual([2, 3]);
  });

  it('two replicas appending the same stream and a second topic concurrently lose nothing and agree on every seq', async () => {
    const replicaA = new ResumeBuffer(new TableStateStore(database.db), { size: 100, ttlSeconds: 3600 });
    const replicaB = new ResumeBuffer(new TableStateStore(database.db), { size: 100, ttlSeconds: 3600 });
    const user = randomUUID();
    const stream = Array.from({ length: 15 }, () => message());
    const other = Array.from({ length: 15 }, () => message());
    const consume = async (buffer: ResumeBuffer, messages: RealtimeMessage[]) => {
      const seqs = new Map<string, number>();
      for (const [i, m] of messages.entries()) {
        const r = await buffer.append(user, m, at(i));
        if (r.status === 'stale') throw new Error('unexpected stale');
        seqs.set(m.id, r.seq);
      }
      return seqs;
    };
    const [a, b] = await Promise.all([consume(replicaA, stream), consume(replicaB, stream), consume(replicaA, other)]);
    const entries = await replicaA.read(user);
    expect(entries).toHaveLength(30);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(new Set(entries.map((e) => e.message.id)).size).toBe(30);
    // Both replicas learned the same seq for every event of the stream they both consumed.
    expect(b).toEqual(a);
    // The stream keeps its order in the buffer.
    const positions = stream.map((m) => entries.findIndex((e) => e.message.id === m.id));
    expect(positions).toEqual([...positions].sort((x, y) => x - y));
  });
});
