import type { Logger } from 'pino';
import type { Config } from '@taskstream/config';
import { databaseDeadLetters, InProcessBus, type BusObserver, type EventBus, type RetryPolicy } from '@taskstream/bus';
import type { Db } from '@taskstream/db';

/**
 * Chooses the transport named by EVENT_BUS; everything else about events is the same. The Kafka
 * and Dapr adapters are loaded only when named, so an embedded process never loads a Kafka client.
 */
export async function createEventBus(config: Config, deps: { db: Db; logger: Logger; retry?: Partial<RetryPolicy> | undefined; observer?: BusObserver }): Promise<EventBus> {
  const logger = deps.logger.child({ component: 'event-bus', transport: config.EVENT_BUS });
  const tuning = { ...(deps.retry && { retry: deps.retry }), ...(deps.observer && { observer: deps.observer }) };
  switch (config.EVENT_BUS) {
    case 'inprocess':
      return new InProcessBus({ deadLetters: databaseDeadLetters(deps.db), logger, ...tuning });
    case 'kafka': {
      const { KafkaBus } = await import('@taskstream/bus/kafka');
      return new KafkaBus({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID, logger, ...tuning });
    }
    case 'dapr': {
      const { DaprBus } = await import('@taskstream/bus/dapr');
      return new DaprBus({ daprHttpPort: config.DAPR_HTTP_PORT, pubsubName: config.DAPR_PUBSUB_NAME, logger, ...tuning });
    }
  }
}
