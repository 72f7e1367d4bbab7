import { trace } from '@opentelemetry/api';

/**
 * Sends the spans still buffered (the SDK batches them) before the process exits; resolves at
 * once when no SDK is registered.
 */
export async function flushTraces(): Promise<void> {
  const global = trace.getTracerProvider() as { getDelegate?: () => unknown };
  const provider = (global.getDelegate?.() ?? global) as { forceFlush?: () => Promise<void> };
  await provider.forceFlush?.();
}
