import { runUntilSignal } from './run-until-signal.js';
import { startServer } from './server.js';

// The API alone, for the distributed deployment; `npm start` runs apps/embedded instead.
await runUntilSignal('api', startServer);
