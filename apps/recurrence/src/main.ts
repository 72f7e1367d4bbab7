import { startTracing } from '@taskstream/telemetry/start';

// Tracing first (when OTEL_EXPORTER_OTLP_ENDPOINT is set): the app is imported only after the
// instrumentation is in place.
await startTracing('recurrence');
const { runUntilSignal, startServer } = await import('@taskstream/api');

// The recurrence service alone, behind its Dapr sidecar: task.completed of a recurring task →
// the next occurrence, created by the API through Dapr service invocation.
await runUntilSignal('recurrence', (config, logger) => startServer({ ...config, SERVICES: ['recurrence'] }, logger));
