import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Link, type Span } from '@opentelemetry/api';
import { contextOf, spanContextOf, traceparentOf } from './trace-context.js';

/** What a span needs to know of a CloudEvent (structurally: packages/events' CloudEvent fits). */
export interface TracedEvent {
  id: string;
  type: string;
  source: string;
  subject?: string | undefined;
  traceparent?: string | undefined;
}

export interface MessagingTarget {
  /** The bus: inprocess, dapr or kafka (messaging.system). */
  system: string;
  /** The topic (messaging.destination.name). */
  topic: string;
}

const tracer = () => trace.getTracer('@taskstream/bus');

const eventAttributes = (event: TracedEvent, target: MessagingTarget, operation: 'send' | 'process'): Attributes => ({
  'messaging.system': target.system,
  'messaging.operation.type': operation,
  'messaging.operation.name': operation,
  'messaging.destination.name': target.topic,
  'messaging.message.id': event.id,
  'cloudevents.event_id': event.id,
  'cloudevents.event_type': event.type,
  'cloudevents.event_source': event.source,
  ...(event.subject !== undefined && { 'cloudevents.event_subject': event.subject }),
});

async function runIn<T>(span: Span, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    span.recordException(err instanceof Error ? err : String(err));
    span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
    throw err;
  } finally {
    span.end();
  }
}

/**
 * Publishes `event` inside a PRODUCER span ("send <topic>") that is a child of the event's own
 * traceparent (the request that recorded it), and hands `publish` the event with its traceparent
 * moved to that span, so consumers nest under the publish. Without an SDK the span does not
 * record and the event goes out unchanged.
 */
export function withPublishSpan<E extends TracedEvent>(target: MessagingTarget, event: E, publish: (event: E) => Promise<void>): Promise<void> {
  const parent = contextOf(event.traceparent) ?? context.active();
  const span = tracer().startSpan(`send ${target.topic}`, { kind: SpanKind.PRODUCER, attributes: eventAttributes(event, target, 'send') }, parent);
  const traceparent = span.isRecording() ? traceparentOf(span) : undefined;
  const sent = traceparent ? { ...event, traceparent } : event;
  return context.with(trace.setSpan(parent, span), () => runIn(span, () => publish(sent)));
}

/**
 * Runs a consumer's handler inside a CONSUMER span ("process <topic>") of the event's trace.
 * Its parent is the active span when that is already in the event's trace (the HTTP delivery
 * Dapr made, or the in-process publish), else the event's traceparent; an active span of
 * another trace becomes a link.
 */
export function withProcessSpan<T>(
  target: MessagingTarget & { consumer: string; attempt: number },
  event: TracedEvent,
  handle: () => Promise<T>,
): Promise<T> {
  const active = trace.getActiveSpan()?.spanContext();
  const carried = spanContextOf(event.traceparent);
  const links: Link[] = [];
  let parent = context.active();
  if (carried && active?.traceId !== carried.traceId) {
    if (active && traceparentOf(active)) links.push({ context: active });
    parent = trace.setSpanContext(context.active(), carried);
  }
  const span = tracer().startSpan(
    `process ${target.topic}`,
    {
      kind: SpanKind.CONSUMER,
      links,
      attributes: { ...eventAttributes(event, target, 'process'), 'messaging.consumer.group.name': target.consumer, 'taskstream.delivery.attempt': target.attempt },
    },
    parent,
  );
  return context.with(trace.setSpan(parent, span), () => runIn(span, handle));
}
