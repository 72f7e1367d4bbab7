// The composition entry: apps/<service>, e2e and the benchmarks build processes through these.
export { composeProcess, type ComposedProcess, type ComposeOptions } from './compose/compose-process.js';
export { SERVICE_TABLE, type ServiceHandles } from './services/service-table.js';
export { createLogger } from './logger.js';
export { startServer, type RunningServer } from './server.js';
export { runUntilSignal } from './run-until-signal.js';
