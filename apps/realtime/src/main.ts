import { startTracing } from '@taskstream/telemetry/start';

// Tracing first (when OTEL_EXPORTER_OTLP_ENDPOINT is set): the app is imported only after the
// instrumentation is in place.
await startTracing('realtime');
const { runUntilSignal, startServer } = await import('@taskstream/api');

// The real-time service alone, behind its Dapr sidecar: task-updates and notifications → /ws.
await runUntilSignal('realtime', (config, logger) => startServer({ ...config, SERVICES: ['realtime'] }, logger));
