import { z } from 'zod';

/** The event types pushed to clients. */
export const PUSHED_TYPES = ['task.changed', 'notification.changed'] as const;
export type PushedType = (typeof PUSHED_TYPES)[number];

/** What a client receives for an event: the event id (its resume point), its type and data. */
export const RealtimeMessage = z.object({
  id: z.string().min(1),
  type: z.enum(PUSHED_TYPES),
  data: z.unknown(),
});
export type RealtimeMessage = z.infer<typeof RealtimeMessage>;

/**
 * Control messages: `hello` first on every connection, with the id of the newest buffered
 * message (null when none); `resync` when the requested resume point is not buffered any more,
 * so the client reloads over REST and continues live.
 */
export type ControlMessage = { type: 'hello'; id: string | null } | { type: 'resync' };
