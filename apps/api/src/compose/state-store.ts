import type { Logger } from 'pino';
import type { Config } from '@taskstream/config';
import type { Db } from '@taskstream/db';
import { DaprStateStore, TableStateStore, type StatePort } from '@taskstream/state';

export type StateStoreConfig = Pick<Config, 'STATE_STORE' | 'DAPR_STATE_STORE_NAME' | 'DAPR_HTTP_PORT'>;

const PURGE_INTERVAL_MS = 60 * 60 * 1000;

/** The state port STATE_STORE names; the table store also sweeps its expired rows hourly. */
export function createStateStore(config: StateStoreConfig, deps: { db: Db; logger: Logger }): { state: StatePort; stop(): void } {
  if (config.STATE_STORE === 'dapr') {
    return { state: new DaprStateStore({ daprHttpPort: config.DAPR_HTTP_PORT, storeName: config.DAPR_STATE_STORE_NAME }), stop: () => {} };
  }
  const state = new TableStateStore(deps.db);
  const timer = setInterval(() => {
    state.purgeExpired().catch((err: unknown) => deps.logger.warn({ err }, 'purging expired state entries failed'));
  }, PURGE_INTERVAL_MS);
  timer.unref();
  return { state, stop: () => clearInterval(timer) };
}
