import { FastifyOtelInstrumentation } from '@fastify/otel';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';

/** Probes and scrapes, which would each be a trace of their own every few seconds. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);
const untraced = (url: string | undefined) => UNTRACED_PATHS.has((url ?? '').split('?')[0] ?? '');

/**
 * What is traced: incoming and outgoing HTTP (node:http), fetch (undici: the Dapr sidecar, the
 * API by service invocation, SMTP aside), Fastify's request, hooks and handler, and PostgreSQL
 * queries. Queries and calls outside a traced operation (the relay's polling, health checks)
 * make no spans: they would be a root span each.
 */
export function tracingInstrumentations(): Instrumentation[] {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (req) => untraced(req.url),
      requireParentforOutgoingSpans: true,
    }),
    new UndiciInstrumentation({ requireParentforSpans: true }),
    new PgInstrumentation({ requireParentSpan: true }),
    new FastifyOtelInstrumentation({ registerOnInitialization: true, ignorePaths: ({ url }) => untraced(url) }),
  ];
}
