import { runUntilSignal, startServer } from '@taskstream/api';

// The recurrence service alone, behind its Dapr sidecar: task.completed of a recurring task →
// the next occurrence, created by the API through Dapr service invocation.
await runUntilSignal('recurrence', (config, logger) => startServer({ ...config, SERVICES: ['recurrence'] }, logger));
