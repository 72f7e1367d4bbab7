import { register } from 'node:module';
import { ConfigError, loadTracingConfig } from '@taskstream/config';

/**
 * Starts OpenTelemetry tracing for this process when OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set; otherwise it loads nothing and returns.
 *
 * Call and await it in a main.ts before importing the app (dynamically): the ESM loader hook
 * that lets the pg instrumentation patch `pg` must be registered before `pg` is imported, and
 * Fastify's instrumentation attaches to every Fastify instance created after this. A bad value
 * is left to the app's loadConfig, which stops the process naming it.
 */
export async function startTracing(processName: string): Promise<void> {
  let config;
  try {
    config = loadTracingConfig(processName);
  } catch (e) {
    if (e instanceof ConfigError) return;
    throw e;
  }
  if (!config) return;
  // Only the modules an instrumentation hooks go through the loader (not every import of the app).
  const { createAddHookMessageChannel } = await import('import-in-the-middle');
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
  const { startSdk } = await import('./sdk.js');
  startSdk(config);
  await waitForAllMessagesAcknowledged();
}
