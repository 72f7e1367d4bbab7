import { startTracing } from '@taskstream/telemetry/start';

// Tracing first (when OTEL_EXPORTER_OTLP_ENDPOINT is set): the app is imported only after the
// instrumentation is in place.
await startTracing('api');
const { runUntilSignal } = await import('./run-until-signal.js');
const { startServer } = await import('./server.js');

// The API alone (REST, auth, the outbox relay), for the distributed deployment; `npm start` runs
// apps/embedded, which runs every service in one process.
await runUntilSignal('api', (config, logger) => startServer({ ...config, SERVICES: ['api'] }, logger));
