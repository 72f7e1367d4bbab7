import type { CloudEvent, NotificationChangedData, TaskChangedData } from '@taskstream/events';
import type { RealtimeHub } from './realtime-hub.js';

type Pushed = CloudEvent<'task.changed', TaskChangedData> | CloudEvent<'notification.changed', NotificationChangedData>;

/**
 * Handles: task.changed (task-updates), notification.changed (notifications).
 * Effect: the message joins the user's resume buffer (state store) and goes to the user's open
 * connections on this replica. Idempotent: a redelivered event finds its id in the buffer, and a
 * connection that already has it is skipped; no inbox is needed since nothing else is written.
 * Retry: a state store failure throws; the bus retries with backoff, then dead-letters (the
 * message is then missing from live streams and resumes; clients see it on their next reload).
 * Every replica must receive every event: subscribe with a consumer name of its own.
 */
export function pushToClientsHandler(hub: RealtimeHub) {
  return async (event: Pushed): Promise<void> => {
    await hub.publish(event.data.userId, { id: event.id, type: event.type, data: event.data }, event.time);
  };
}
