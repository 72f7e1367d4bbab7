import { subscription, type Subscription, type SubscriptionSpec } from '@taskstream/bus';
import { TOPICS } from '@taskstream/events';
import type { RealtimeHub } from './realtime-hub.js';
import { PUSHED_TYPES, type PushedType } from './realtime-message.js';

/**
 * task.changed (task-updates) and notification.changed (notifications). A state store failure is
 * retried with backoff, then dead-lettered: the message is then missing from live streams and
 * resumes, and clients see it on their next reload.
 */
export const PUSH_TO_CLIENTS = {
  consumer: 'realtime',
  topics: [TOPICS.taskUpdates, TOPICS.notifications],
  types: PUSHED_TYPES,
  maxAttempts: 5,
} as const;

/**
 * Every replica must receive every event, since its clients may be anyone: the consumer name is
 * one per process. Kafka makes a consumer group of it; under Dapr the pub/sub component's
 * consumerGroup decides (give the real-time app a component with consumerGroup "{podName}").
 */
export const realtimeConsumerName = (instanceId: string): string => `${PUSH_TO_CLIENTS.consumer}.${instanceId.replace(/[^A-Za-z0-9._-]/g, '-')}`;

/**
 * The message joins the user's resume buffer (state store) and goes to the user's open connections
 * on this replica. Idempotent: a redelivered event finds its id in the buffer, and a connection
 * that already has it is skipped; no inbox is needed since nothing else is written.
 */
export function pushToClients(hub: RealtimeHub, instanceId: string): Subscription[] {
  const consumer = realtimeConsumerName(instanceId);
  return PUSH_TO_CLIENTS.topics.map((topic) =>
    subscription({ consumer, topic, types: PUSH_TO_CLIENTS.types, maxAttempts: PUSH_TO_CLIENTS.maxAttempts } satisfies SubscriptionSpec<PushedType>, async (event) => {
      await hub.publish(event.data.userId, { id: event.id, type: event.type, data: event.data }, event.time);
    }),
  );
}
