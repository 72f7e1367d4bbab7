import type { Logger } from 'pino';
import { OutboxRelay, type EventBus } from '@taskstream/bus';
import type { DatabaseHandle } from '@taskstream/db';
import type { TasksContext } from '@taskstream/tasks';
import { registerConsumers } from './consumers.js';

export interface EventPipeline {
  bus: EventBus;
  relay: OutboxRelay | undefined;
  stop(): Promise<void>;
}

/** Consumers subscribe, the bus starts, and the relay begins publishing the outbox into it. */
export async function startEventPipeline(deps: {
  bus: EventBus;
  database: DatabaseHandle;
  ctx: TasksContext;
  logger: Logger;
  relay: { enabled: boolean; pollIntervalMs?: number; retentionMs?: number };
}): Promise<EventPipeline> {
  const { bus, database, logger } = deps;
  registerConsumers(bus, { ctx: deps.ctx, logger });
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
