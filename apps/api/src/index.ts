export { buildApp, type AppDeps } from './app.js';
export { resolveAuthSecret } from './auth-secret.js';
export { createLogger } from './logger.js';
