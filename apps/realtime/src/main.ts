import { runUntilSignal, startServer } from '@taskstream/api';

// The real-time service alone, behind its Dapr sidecar: task-updates and notifications → /ws.
await runUntilSignal('realtime', (config, logger) => startServer({ ...config, SERVICES: ['realtime'] }, logger));
