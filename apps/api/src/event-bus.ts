import type { Logger } from 'pino';
import type { Config } from '@taskstream/config';
import { databaseDeadLetters, InProcessBus, type EventBus } from '@taskstream/bus';
import { DaprBus } from '@taskstream/bus/dapr';
import { KafkaBus } from '@taskstream/bus/kafka';
import type { Db } from '@taskstream/db';

/** Chooses the transport named by EVENT_BUS; everything else about events is the same. */
export function createEventBus(config: Config, deps: { db: Db; logger: Logger }): EventBus {
  const logger = deps.logger.child({ component: 'event-bus', transport: config.EVENT_BUS });
  switch (config.EVENT_BUS) {
    case 'inprocess':
      return new InProcessBus({ deadLetters: databaseDeadLetters(deps.db), logger });
    case 'kafka':
      return new KafkaBus({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID, logger });
    case 'dapr':
      return new DaprBus({ daprHttpPort: config.DAPR_HTTP_PORT, pubsubName: config.DAPR_PUBSUB_NAME, logger });
  }
}
