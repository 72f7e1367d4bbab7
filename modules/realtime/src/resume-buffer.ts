import { z } from 'zod';
import { mutateState, type StatePort } from '@taskstream/state';
import { RealtimeMessage } from './realtime-message.js';

/** A message as kept for resuming: `seq` orders one user's messages across every replica. */
const BufferedMessage = z.object({ seq: z.number().int().min(1), time: z.string(), message: RealtimeMessage });
export type BufferedMessage = z.infer<typeof BufferedMessage>;

const StoredBuffer = z.object({ v: z.literal(1), lastSeq: z.number().int().min(0), entries: z.array(BufferedMessage) });
type StoredBuffer = z.infer<typeof StoredBuffer>;

export type AppendResult = { status: 'appended' | 'duplicate'; seq: number } | { status: 'stale' };

export interface ResumeBufferOptions {
  /** Messages kept per user (REALTIME_RESUME_SIZE). */
  size: number;
  /** A user's buffer disappears this long after its last message. */
  ttlSeconds: number;
}

export const resumeKey = (userId: string): string => `realtime:${userId}`;

const empty = (): StoredBuffer => ({ v: 1, lastSeq: 0, entries: [] });

/** Parsed leniently: a value this code cannot read (an older format) starts a new buffer. */
function parse(value: unknown): StoredBuffer {
  const parsed = StoredBuffer.safeParse(value);
  return parsed.success ? parsed.data : empty();
}

/**
 * The last `size` messages of each user, in the state store (key `realtime:<userId>`), so a
 * client can resume on any replica. Every replica receives every event and appends it; the event
 * id makes the second append a no-op that returns the seq the first one gave.
 */
export class ResumeBuffer {
  constructor(
    private readonly state: StatePort,
    private readonly options: ResumeBufferOptions,
  ) {}

  async append(userId: string, message: RealtimeMessage, time: string): Promise<AppendResult> {
    return mutateState<AppendResult>(this.state, resumeKey(userId), (current) => {
      const buffer = current ? parse(current.value) : empty();
      const known = buffer.entries.find((e) => e.message.id === message.id);
      if (known) return { result: { status: 'duplicate', seq: known.seq } };
      // A replica far behind the others may bring an event that already left the window; appending
      // it again would put an old state after newer ones.
      const oldest = buffer.entries[0];
      if (oldest && buffer.entries.length >= this.options.size && Date.parse(time) < Date.parse(oldest.time)) return { result: { status: 'stale' } };
      const seq = buffer.lastSeq + 1;
      const entries = [...buffer.entries, { seq, time, message }].slice(-this.options.size);
      return { write: { v: 1, lastSeq: seq, entries } satisfies StoredBuffer, ttlSeconds: this.options.ttlSeconds, result: { status: 'appended', seq } };
    });
  }

  async read(userId: string): Promise<BufferedMessage[]> {
    const current = await this.state.get(resumeKey(userId));
    return current ? parse(current.value).entries : [];
  }
}
