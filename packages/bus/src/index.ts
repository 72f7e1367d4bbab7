// The core entry: what every process needs, and no transport client. The adapters that load one
// are separate entries: '@taskstream/bus/kafka' and '@taskstream/bus/dapr'.
export { PermanentError, BusUnavailableError, type EventBus, type EventHandler, type Subscription, type DeliveryContext } from './event-bus.js';
export { subscription, type SubscriptionSpec } from './subscription.js';
export { InProcessBus, type InProcessBusOptions } from './in-process-bus.js';
export { databaseDeadLetters, pruneDeadLetters, type DeadLetter, type DeadLetterSink } from './dead-letter-store.js';
export { appendToOutbox, OUTBOX_CHANNEL } from './outbox.js';
export { OutboxRelay, type OutboxRelayOptions } from './outbox-relay.js';
export { handleOnce, pruneInbox } from './inbox.js';
export { backoffMs, DEFAULT_RETRY, type RetryPolicy } from './retry-policy.js';
export { errorText } from './error-text.js';
export type { BusObserver, DeliveryResult } from './bus-observer.js';
export type { EventOf } from './typed-handler.js';
export { CoalescingRunner } from './coalescing-runner.js';
