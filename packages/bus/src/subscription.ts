import { isEventType, parseEvent, type AnyEvent, type EventType } from '@taskstream/events';
import { PermanentError, type DeliveryContext, type Subscription } from './event-bus.js';

type EventOf<T extends EventType> = Extract<AnyEvent, { type: T }>;

/** A subscription as data, declared beside its handler: who consumes, which topic, which types, how many tries. */
export interface SubscriptionSpec<T extends EventType = EventType> {
  consumer: string;
  topic: string;
  types: readonly T[];
  /** Deliveries before the event is dead-lettered. */
  maxAttempts?: number;
}

/**
 * Binds a handler to its spec. Another known type on the topic is acknowledged without parsing;
 * anything else is parsed against the catalog, and what does not parse (an unknown type, bad
 * data) can never succeed, so it is dead-lettered.
 */
export function subscription<T extends EventType>(spec: SubscriptionSpec<T>, handle: (event: EventOf<T>, context: DeliveryContext) => Promise<void>): Subscription {
  const types: readonly string[] = spec.types;
  return {
    ...spec,
    handler: async (raw, context) => {
      if (isEventType(raw.type) && !types.includes(raw.type)) return;
      const parsed = parseEvent(raw);
      if (!parsed.ok) throw new PermanentError(parsed.error);
      await handle(parsed.event as EventOf<T>, context);
    },
  };
}
