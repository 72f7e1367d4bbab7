import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { TracingConfig } from '@taskstream/config';
import { tracingInstrumentations } from './instrumentations.js';

/** The Node SDK: W3C trace context, spans batched to OTLP/HTTP (protobuf), no metrics or logs. */
export function startSdk(config: TracingConfig): NodeSDK {
  const sdk = new NodeSDK({
    serviceName: config.serviceName,
    traceExporter: new OTLPTraceExporter({ url: config.tracesUrl }),
    instrumentations: tracingInstrumentations(),
  });
  sdk.start();
  return sdk;
}
