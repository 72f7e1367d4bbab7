export { buildApp, type AppDeps } from './app.js';
export { resolveAuthSecret } from './auth-secret.js';
export { createLogger } from './logger.js';
export { startServer, type RunningServer } from './server.js';
export { runUntilSignal } from './run-until-signal.js';
export { createRealtime, subscribeRealtime, realtimeConsumerName, type Realtime, type RealtimeConfig } from './realtime-wiring.js';
export { createStateStore } from './state-store.js';
