import { context, propagation, trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { tracingInstrumentations } from './instrumentations.js';

/**
 * For tests: the SDK as startTracing starts it (same instrumentations, W3C propagation), but
 * every span kept in memory as it ends. stop() unregisters it, so the next test runs untraced.
 */
export function startInMemoryTracing(serviceName = 'taskstream-test'): { exporter: InMemorySpanExporter; stop(): Promise<void> } {
  const exporter = new InMemorySpanExporter();
  const sdk = new NodeSDK({ serviceName, spanProcessors: [new SimpleSpanProcessor(exporter)], instrumentations: tracingInstrumentations() });
  sdk.start();
  return {
    exporter,
    async stop() {
      await sdk.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
