import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows, type DatabaseHandle } from '@taskstream/db';
import { TableStateStore } from '@taskstream/state';
import { createTestDatabase } from '@taskstream/testing';
import type { RealtimeMessage } from './realtime-message.js';
import { messageKey, ResumeBuffer, resumeKey } from './resume-buffer.js';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const message = (id: string = randomUUID()): RealtimeMessage => ({ id, type: 'task.changed', data: { n: id } });
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
    expect((await buffer.readAll(user)).map((e) => [e.seq, e.message])).toEqual([[3, sent[2]], [4, sent[3]], [5, sent[4]]]);
    const before = await state.get(resumeKey(user));
    expect(await buffer.append(user, sent[3]!, at(3))).toEqual({ status: 'duplicate', seq: 4 });
    expect(await state.get(resumeKey(user))).toEqual(before);
    expect(await buffer.readAll(randomUUID())).toEqual([]);
  });

  it('refuses an event older than a full window (a lagging replica), so no old state lands after newer ones', async () => {
    const buffer = new ResumeBuffer(new TableStateStore(database.db), { size: 2, ttlSeconds: 3600 });
    const user = randomUUID();
    const trimmed = message();
    await buffer.append(user, trimmed, at(10));
    await buffer.append(user, message(), at(11));
    await buffer.append(user, message(), at(12));
    expect(await buffer.append(user, trimmed, at(10))).toEqual({ status: 'stale' });
    expect((await buffer.readAll(user)).map((e) => e.seq)).toEqual([2, 3]);
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
    const entries = await replicaA.readAll(user);
    expect(entries).toHaveLength(30);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(new Set(entries.map((e) => e.message.id)).size).toBe(30);
    // Both replicas learned the same seq for every event of the stream they both consumed.
    expect(b).toEqual(a);
    // The stream keeps its order in the buffer.
    const positions = stream.map((m) => entries.findIndex((e) => e.message.id === m.id));
    expect(positions).toEqual([...positions].sort((x, y) => x - y));
  });

  it('resumes from an event id with only the messages after it, and answers unknown for an id it does not hold', async () => {
    const buffer = new ResumeBuffer(new TableStateStore(database.db), { size: 4, ttlSeconds: 3600 });
    const user = randomUUID();
    expect(await buffer.resumeFrom(user)).toEqual({ newest: null, after: [] });
    expect(await buffer.resumeFrom(user, 'nothing-yet')).toEqual({ newest: null, after: 'unknown' });
    const sent = Array.from({ length: 6 }, () => message());
    for (const [i, m] of sent.entries()) await buffer.append(user, m, at(i));
    const newest = { id: sent[5]!.id, seq: 6 };
    expect(await buffer.resumeFrom(user)).toEqual({ newest, after: [] });
    expect(await buffer.resumeFrom(user, sent[3]!.id)).toEqual({
      newest,
      after: [
        { seq: 5, time: at(4), message: sent[4] },
        { seq: 6, time: at(5), message: sent[5] },
      ],
    });
    expect(await buffer.resumeFrom(user, sent[5]!.id)).toEqual({ newest, after: [] });
    // Trimmed out of the window of 4, and never seen.
    expect(await buffer.resumeFrom(user, sent[1]!.id)).toEqual({ newest, after: 'unknown' });
    expect(await buffer.resumeFrom(user, randomUUID())).toEqual({ newest, after: 'unknown' });
  });

  it('a message that expired while the index still names it means resync, not a gap', async () => {
    const state = new TableStateStore(database.db);
    const buffer = new ResumeBuffer(state, { size: 10, ttlSeconds: 3600 });
    const user = randomUUID();
    const sent = Array.from({ length: 3 }, () => message());
    for (const [i, m] of sent.entries()) await buffer.append(user, m, at(i));
    await state.delete(messageKey(user, sent[1]!.id));
    expect((await buffer.resumeFrom(user, sent[0]!.id)).after).toBe('unknown');
    expect((await buffer.resumeFrom(user, sent[1]!.id)).after).toEqual([{ seq: 3, time: at(2), message: sent[2] }]);
  });

  it('keeps each message in a key of its own, so the entry rewritten per event stays small at a full window', async () => {
    const state = new TableStateStore(database.db);
    const buffer = new ResumeBuffer(state, { size: 500, ttlSeconds: 3600 });
    const user = randomUUID();
    // About 1 KiB each, like a task snapshot with a description.
    const big = (i: number): RealtimeMessage => ({ id: randomUUID(), type: 'task.changed', data: { i, description: 'x'.repeat(1000) } });
    for (let i = 0; i < 520; i++) await buffer.append(user, big(i), at(i % 60));
    const index = await state.get(resumeKey(user));
    const bytes = JSON.stringify(index?.value).length;
    // Whole messages in the index made it ~520 KiB; ids and times are ~60 bytes a message.
    expect(bytes).toBeLessThan(40_000);
    const all = await buffer.readAll(user);
    expect(all).toHaveLength(500);
    expect(all[0]!.seq).toBe(21);
    expect(all.at(-1)).toMatchObject({ seq: 520, message: { data: { i: 519 } } });
    // The 20 messages that left the window were removed, not left to their TTL.
    const [keys] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from state_entries where key like ${`realtime:${user}:m:%`}`);
    expect(keys?.n).toBe(500);
  });

  it('an event id with the characters the state store refuses in keys is buffered and resumed all the same', async () => {
    const buffer = new ResumeBuffer(new TableStateStore(database.db), { size: 10, ttlSeconds: 3600 });
    const user = randomUUID();
    const odd = message('a||b %/?#');
    await buffer.append(user, message('first'), at(0));
    await buffer.append(user, odd, at(1));
    expect((await buffer.resumeFrom(user, 'first')).after).toEqual([{ seq: 2, time: at(1), message: odd }]);
  });
});
