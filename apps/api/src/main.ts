import { runUntilSignal } from './run-until-signal.js';
import { startServer } from './server.js';

// The API alone (REST, auth, the outbox relay), for the distributed deployment; `npm start` runs
// apps/embedded, which runs every service in one process.
await runUntilSignal('api', (config, logger) => startServer({ ...config, SERVICES: ['api'] }, logger));
