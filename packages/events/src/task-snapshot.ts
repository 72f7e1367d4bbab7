import { z } from 'zod';
import { PRIORITIES } from './priorities.js';

/** A task as events carry it: the same fields the API returns, so consumers can redraw from it. */
export const TaskSnapshot = z.object({
  id: z.uuid(),
  title: z.string(),
  description: z.string(),
  status: z.enum(['open', 'in_progress', 'completed']),
  priority: z.enum(PRIORITIES),
  tags: z.array(z.string()),
  dueAt: z.string().nullable(),
  timeZone: z.string(),
  reminders: z.array(
    z.object({
      id: z.uuid(),
      remindAt: z.string().nullable(),
      offsetMinutes: z.number().nullable(),
      firesAt: z.string().nullable().describe('when it fires; null for a relative reminder without a due date'),
    }),
  ),
  recurrence: z
    .object({
      kind: z.enum(['rrule', 'cron']),
      rule: z.string(),
      repeatFrom: z.enum(['due', 'completion']),
      count: z.number().nullable(),
      until: z.string().nullable(),
      /** The series' first due instant: the rule's DTSTART, which fixes phases such as "every 2 weeks". */
      anchorAt: z.string(),
      description: z.string(),
    })
    .nullable(),
  seriesId: z.uuid().nullable(),
  occurrenceIndex: z.number().nullable(),
  completedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
export type TaskSnapshot = z.infer<typeof TaskSnapshot>;
