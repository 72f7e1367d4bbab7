import type { EventType } from '@taskstream/events';
import type { DeliveryContext, Subscription } from './event-bus.js';
import { typedHandler, type EventOf } from './typed-handler.js';

/** A subscription as data: who consumes, which topic, which event types, how many attempts. */
export interface SubscriptionSpec<T extends EventType = EventType> {
  consumer: string;
  topic: string;
  types: readonly T[];
  maxAttempts?: number;
}

/**
 * A subscription to some event types of a topic. The bus acknowledges the topic's other types
 * without calling `handle`; an event of a listed type that does not parse against the catalog
 * is dead-lettered (it can never succeed).
 */
export function subscription<T extends EventType>(
  spec: SubscriptionSpec<T>,
  handle: (event: EventOf<T>, context: DeliveryContext) => Promise<void>,
): Subscription {
  return { ...spec, types: spec.types, handler: typedHandler(spec.types, handle) };
}
