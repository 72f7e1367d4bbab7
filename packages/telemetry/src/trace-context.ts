import { context, isSpanContextValid, trace, TraceFlags, type Context, type Span, type SpanContext } from '@opentelemetry/api';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The W3C traceparent of a span, or undefined for the invalid span a no-op tracer hands out. */
export function traceparentOf(span: Span | SpanContext | undefined): string | undefined {
  const sc = span && 'spanContext' in span ? span.spanContext() : span;
  if (!sc || !isSpanContextValid(sc)) return undefined;
  return `00-${sc.traceId}-${sc.spanId}-${sc.traceFlags & TraceFlags.SAMPLED ? '01' : '00'}`;
}

/** The traceparent of the span active now; undefined when none is (or no SDK is registered). */
export const activeTraceparent = (): string | undefined => traceparentOf(trace.getActiveSpan());

/** The span context a traceparent names (version 00 only), as if it came from a remote caller. */
export function spanContextOf(traceparent: string | undefined): SpanContext | undefined {
  const m = traceparent ? TRACEPARENT.exec(traceparent) : null;
  if (!m) return undefined;
  const sc: SpanContext = { traceId: m[1] ?? '', spanId: m[2] ?? '', traceFlags: parseInt(m[3] ?? '0', 16) & TraceFlags.SAMPLED, isRemote: true };
  return isSpanContextValid(sc) ? sc : undefined;
}

/** A context whose parent is the traceparent's span, on top of `base` (default: the active one). */
export function contextOf(traceparent: string | undefined, base: Context = context.active()): Context | undefined {
  const sc = spanContextOf(traceparent);
  return sc ? trace.setSpanContext(base, sc) : undefined;
}
