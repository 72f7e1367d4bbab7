import { lt } from 'drizzle-orm';
import { deadLetters, type Db } from '@taskstream/db';
import type { CloudEvent } from '@taskstream/events';

export interface DeadLetter {
  consumer: string;
  topic: string;
  event: CloudEvent;
  error: string;
  attempts: number;
}

export interface DeadLetterSink {
  record(letter: DeadLetter): Promise<void>;
}

/** The in-process bus's dead-letter "topic": a table, so nothing a consumer gave up on is lost. */
export function databaseDeadLetters(db: Db): DeadLetterSink {
  return {
    async record(letter) {
      await db.insert(deadLetters).values({
        consumer: letter.consumer,
        topic: letter.topic,
        eventId: letter.event.id,
        event: letter.event,
        error: letter.error.slice(0, 4000),
        attempts: letter.attempts,
      });
    },
  };
}

/** Deletes dead letters recorded before `cutoff` (DEAD_LETTER_RETENTION_DAYS): kept long enough to inspect and replay, not forever. */
export async function pruneDeadLetters(db: Db, cutoff: Date): Promise<number> {
  return (await db.delete(deadLetters).where(lt(deadLetters.createdAt, cutoff)).returning({ id: deadLetters.id })).length;
}
