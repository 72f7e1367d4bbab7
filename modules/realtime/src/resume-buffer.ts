import { z } from 'zod';
import { mutateState, type StatePort } from '@taskstream/state';
import { RealtimeMessage } from './realtime-message.js';

/** A message as kept for resuming: `seq` orders one user's messages across every replica. */
export interface BufferedMessage {
  seq: number;
  time: string;
  message: RealtimeMessage;
}

/**
 * The per-user index: the seq of the newest message and, oldest first, `[eventId, epoch ms]` of
 * the last `size` messages (entry i has seq lastSeq - entries.length + 1 + i). About 60 bytes a
 * message, so the one entry rewritten per event stays small; the messages live in keys of their own.
 */
const StoredIndex = z.object({ v: z.literal(2), lastSeq: z.number().int().min(0), entries: z.array(z.tuple([z.string().min(1), z.number()])) });
type StoredIndex = z.infer<typeof StoredIndex>;

const StoredMessage = z.object({ time: z.string(), message: RealtimeMessage });

export type AppendResult = { status: 'appended' | 'duplicate'; seq: number } | { status: 'stale' };

/** What a (re)connecting client is owed: the newest id, and the messages after the one it saw. */
export interface ResumePoint {
  newest: { id: string; seq: number } | null;
  /** The messages after `afterEventId`, oldest first; 'unknown' when that id is not buffered (any more). */
  after: BufferedMessage[] | 'unknown';
}

export interface ResumeBufferOptions {
  /** Messages kept per user (REALTIME_RESUME_SIZE). */
  size: number;
  /** A user's buffer disappears this long after its last message; each message this long after it was buffered. */
  ttlSeconds: number;
}

export const resumeKey = (userId: string): string => `realtime:${userId}`;
/** Event ids are any non-empty string; encoded, they cannot hold the "||" the Dapr store refuses. */
export const messageKey = (userId: string, eventId: string): string => `realtime:${userId}:m:${encodeURIComponent(eventId)}`;

const empty = (): StoredIndex => ({ v: 2, lastSeq: 0, entries: [] });

/** Parsed leniently: a value this code cannot read (an older format) starts a new buffer. */
function parse(value: unknown): StoredIndex {
  const parsed = StoredIndex.safeParse(value);
  return parsed.success ? parsed.data : empty();
}

const seqOf = (index: StoredIndex, position: number): number => index.lastSeq - index.entries.length + 1 + position;

/**
 * The last `size` messages of each user, in the state store, so a client can resume on any
 * replica. Every replica receives every event and appends it; the event id makes the second
 * append a no-op that returns the seq the first one gave.
 *
 * An append writes the message under its own key (immutable, with a TTL), then the user's index
 * with optimistic concurrency: one small conditional write per event, whatever the window size.
 * (The first version kept whole messages in the index and rewrote ~580 KiB per event at 500
 * messages.) A reader finds every message the index names, since the message was written first.
 */
export class ResumeBuffer {
  constructor(
    private readonly state: StatePort,
    private readonly options: ResumeBufferOptions,
  ) {}

  async append(userId: string, message: RealtimeMessage, time: string): Promise<AppendResult> {
    const at = Date.parse(time);
    const outcome = await mutateState<AppendResult & { trimmed?: string[] }>(this.state, resumeKey(userId), (current) => {
      const index = current ? parse(current.value) : empty();
      const known = index.entries.findIndex(([id]) => id === message.id);
      if (known >= 0) return { result: { status: 'duplicate', seq: seqOf(index, known) } };
      // A replica far behind the others may bring an event that already left the window; appending
      // it again would put an old state after newer ones.
      const oldest = index.entries[0];
      if (oldest && index.entries.length >= this.options.size && at < oldest[1]) return { result: { status: 'stale' } };
      const seq = index.lastSeq + 1;
      const grown = [...index.entries, [message.id, at] as [string, number]];
      const cut = Math.max(0, grown.length - this.options.size);
      const { ttlSeconds } = this.options;
      return {
        write: { v: 2, lastSeq: seq, entries: grown.slice(cut) } satisfies StoredIndex,
        ttlSeconds,
        companions: [{ key: messageKey(userId, message.id), value: { time, message } satisfies z.input<typeof StoredMessage>, ttlSeconds }],
        result: { status: 'appended', seq, trimmed: grown.slice(0, cut).map(([id]) => id) },
      };
    });
    if (outcome.status !== 'appended') return outcome;
    // Out of the window, a message is never replayed again: the replica whose write won removes it
    // (its TTL would, days later). A resume reading the old index then finds it gone and resyncs.
    for (const id of outcome.trimmed ?? []) await this.state.delete(messageKey(userId, id));
    return { status: 'appended', seq: outcome.seq };
  }

  /**
   * The newest buffered message, and with `afterEventId` the messages after it (one bulk read of
   * only those). A message whose key has expired while the index still names it makes the answer
   * 'unknown' too: the client cannot be brought up to date from the buffer and must resync.
   */
  async resumeFrom(userId: string, afterEventId?: string): Promise<ResumePoint> {
    const current = await this.state.get(resumeKey(userId));
    const index = current ? parse(current.value) : empty();
    const last = index.entries.at(-1);
    const newest = last ? { id: last[0], seq: index.lastSeq } : null;
    if (afterEventId === undefined) return { newest, after: [] };
    const position = index.entries.findIndex(([id]) => id === afterEventId);
    if (position < 0) return { newest, after: 'unknown' };
    const after = await this.messages(userId, index, position + 1);
    return after ? { newest, after } : { newest, after: 'unknown' };
  }

  /** Every buffered message of the user, oldest first ([] when one of them has expired). */
  async readAll(userId: string): Promise<BufferedMessage[]> {
    const current = await this.state.get(resumeKey(userId));
    return (current && (await this.messages(userId, parse(current.value), 0))) ?? [];
  }

  /** The index's messages from `position` on, in one bulk read; undefined when one is missing. */
  private async messages(userId: string, index: StoredIndex, position: number): Promise<BufferedMessage[] | undefined> {
    const wanted = index.entries.slice(position);
    const stored = await this.state.getMany(wanted.map(([id]) => messageKey(userId, id)));
    const found: BufferedMessage[] = [];
    for (const [i, entry] of stored.entries()) {
      const parsed = StoredMessage.safeParse(entry?.value);
      if (!parsed.success || parsed.data.message.id !== wanted[i]![0]) return undefined;
      found.push({ seq: seqOf(index, position + i), ...parsed.data });
    }
    return found;
  }
}
