export {
  ConflictError,
  StateStoreError,
  assertStateKey,
  type StatePort,
  type StateEntry,
  type SetOptions,
  type DeleteOptions,
} from './state-port.js';
export { mutateState, type StateUpdate } from './mutate-state.js';
export { TableStateStore } from './table-state-store.js';
export { DaprStateStore, type DaprStateStoreOptions } from './dapr-state-store.js';
