import type { Logger } from 'pino';
import { OutboxRelay, type EventBus } from '@taskstream/bus';
import type { DatabaseHandle } from '@taskstream/db';

export interface EventPipeline {
  bus: EventBus;
  relay: OutboxRelay | undefined;
  stop(): Promise<void>;
}

/**
 * The bus starts and the relay begins publishing the outbox into it. Consumers subscribe before
 * (registerConsumers), and before the app listens: a Dapr sidecar reads the subscriptions once.
 */
export async function startEventPipeline(deps: {
  bus: EventBus;
  database: DatabaseHandle;
  logger: Logger;
  relay: { enabled: boolean; pollIntervalMs?: number; retentionMs?: number };
}): Promise<EventPipeline> {
  const { bus, database, logger } = deps;
  await bus.start();
  const relay = deps.relay.enabled
    ? new OutboxRelay({
        database,
        bus,
        logger: logger.child({ component: 'outbox-relay' }),
        ...(deps.relay.pollIntervalMs && { pollIntervalMs: deps.relay.pollIntervalMs }),
        ...(deps.relay.retentionMs && { retentionMs: deps.relay.retentionMs }),
      })
    : undefined;
  await relay?.start();
  return {
    bus,
    relay,
    // Together: the relay stops claiming while the bus aborts deliveries stuck in retries.
    stop: async () => {
      await Promise.all([relay?.stop(), bus.stop()]);
    },
  };
}
