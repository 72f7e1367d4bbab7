export { buildApp, type AppDeps } from './app.js';
export { resolveAuthSecret } from './auth-secret.js';
export { createLogger } from './logger.js';
export { startServer, type RunningServer } from './server.js';
export { runUntilSignal } from './run-until-signal.js';
