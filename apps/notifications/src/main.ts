import { startTracing } from '@taskstream/telemetry/start';

// Tracing first (when OTEL_EXPORTER_OTLP_ENDPOINT is set): the app is imported only after the
// instrumentation is in place.
await startTracing('notifications');
const { runUntilSignal, startServer } = await import('@taskstream/api');

// The notification service alone, behind its Dapr sidecar: reminder schedules, the scheduler,
// in-app notifications, email and Web Push. SERVICES is this role whatever the environment says.
await runUntilSignal('notifications', (config, logger) => startServer({ ...config, SERVICES: ['notifications'] }, logger));
