import { runUntilSignal, startServer } from '@taskstream/api';

// The audit service alone, behind its Dapr sidecar: task-events → append-only history.
await runUntilSignal('audit', (config, logger) => startServer({ ...config, SERVICES: ['audit'] }, logger));
