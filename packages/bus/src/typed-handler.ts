import { parseEvent, type AnyEvent, type EventType } from '@taskstream/events';
import { PermanentError, type DeliveryContext, type EventHandler } from './event-bus.js';

/** The catalog event of one type, as a handler of that type receives it. */
export type EventOf<T extends EventType> = Extract<AnyEvent, { type: T }>;

/**
 * Wraps a handler for some event types: an event that does not parse against the catalog is
 * dead-lettered (it can never succeed), other types on the topic are ignored.
 */
export function typedHandler<T extends EventType>(
  types: readonly T[],
  handle: (event: EventOf<T>, context: DeliveryContext) => Promise<void>,
): EventHandler {
  return async (raw, context) => {
    const parsed = parseEvent(raw);
    if (!parsed.ok) throw new PermanentError(parsed.error);
    if (!(types as readonly string[]).includes(parsed.event.type)) return;
    await handle(parsed.event as EventOf<T>, context);
  };
}
