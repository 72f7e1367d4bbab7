import { startTracing } from '@taskstream/telemetry/start';

// Tracing first (when OTEL_EXPORTER_OTLP_ENDPOINT is set): the app is imported only after the
// instrumentation is in place.
await startTracing('embedded');
const { runUntilSignal, startServer } = await import('@taskstream/api');

// Every service in one process (SERVICES, default all): what `npm start` runs.
await runUntilSignal('embedded', startServer);
