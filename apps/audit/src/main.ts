import { startTracing } from '@taskstream/telemetry/start';

// Tracing first (when OTEL_EXPORTER_OTLP_ENDPOINT is set): the app is imported only after the
// instrumentation is in place.
await startTracing('audit');
const { runUntilSignal, startServer } = await import('@taskstream/api');

// The audit service alone, behind its Dapr sidecar: task-events → append-only history.
await runUntilSignal('audit', (config, logger) => startServer({ ...config, SERVICES: ['audit'] }, logger));
