import { runUntilSignal, startServer } from '@taskstream/api';

// The notification service alone, behind its Dapr sidecar: reminder schedules, the scheduler,
// in-app notifications, email and Web Push. SERVICES is this role whatever the environment says.
await runUntilSignal('notifications', (config, logger) => startServer({ ...config, SERVICES: ['notifications'] }, logger));
