import { z } from 'zod';
import { PRIORITIES } from './priorities.js';

/**
 * The one call between services that is not an event: the recurrence service asks the API (the
 * only writer of tasks) for occurrence n+1 of a series. Embedded it is a direct call, distributed
 * a Dapr service invocation; both parse the request with this schema. (seriesId, occurrenceIndex)
 * is its idempotency key.
 */
export const NextOccurrenceRequest = z.strictObject({
  userId: z.string().min(1).max(100),
  seriesId: z.uuid(),
  occurrenceIndex: z.int().min(1),
  dueAt: z.iso.datetime({ offset: true }),
  /** What the next task carries over from the completed one. */
  template: z.strictObject({
    title: z.string().min(1).max(500),
    description: z.string().max(10_000),
    priority: z.enum(PRIORITIES),
    tags: z.array(z.string().min(1).max(40)).max(20),
    /** Only reminders relative to the due time carry over; absolute ones belonged to that day. */
    reminderOffsets: z.array(z.int().min(0).max(525_600)).max(10),
  }),
});
export type NextOccurrenceRequest = z.infer<typeof NextOccurrenceRequest>;

/**
 * What the API answers: the occurrence was made now, it existed already (a retry, a race), or the
 * series stopped before it (its owner deleted or detached the successor made before, or ended the
 * series), so nothing was made.
 */
export type NextOccurrenceOutcome = 'created' | 'exists' | 'stopped';

/**
 * The recurrence service tells the API (by the same route as NextOccurrenceRequest) that a series
 * has ended by its rule (COUNT or UNTIL reached) after occurrence `occurrenceIndex`, so the sweep
 * stops looking at it.
 */
export const SeriesEndRequest = z.strictObject({
  userId: z.string().min(1).max(100),
  seriesId: z.uuid(),
  occurrenceIndex: z.int().min(0),
});
export type SeriesEndRequest = z.infer<typeof SeriesEndRequest>;

/** 'continues' when the series already has a later occurrence than the one that ended it (a stale event). */
export type SeriesEndOutcome = 'ended' | 'continues';
