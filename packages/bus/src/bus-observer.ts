import type { CloudEvent } from '@taskstream/events';

/** What became of one delivery, as metrics count it: `skipped` is an event of a type the subscription does not take. */
export type DeliveryResult = 'handled' | 'skipped' | 'retry' | 'dead_letter' | 'abandoned';

/**
 * Watches the event path without being part of it (the process's metrics). Every adapter reports
 * through the one delivery policy, so the in-process, Kafka and Dapr buses count alike.
 */
export interface BusObserver {
  /** After each delivery attempt, with the handler's time (0 when skipped). */
  delivered?(delivery: { consumer: string; topic: string; event: CloudEvent; result: DeliveryResult; seconds: number }): void;
  /** After the relay published an outbox row. */
  published?(publication: { topic: string; event: CloudEvent }): void;
}
