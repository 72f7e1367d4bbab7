import { dataSchemaOf, EVENT_CATALOG, isEventType, type EventData, type EventType } from './catalog.js';
import { CloudEventEnvelope, type CloudEvent } from './envelope.js';

export type AnyEvent = { [T in EventType]: CloudEvent<T, EventData<T>> }[EventType];

export type ParseResult = { ok: true; event: AnyEvent } | { ok: false; error: string };

/** Validates an incoming event against the envelope and its type's schema; never throws. */
export function parseEvent(raw: unknown): ParseResult {
  const envelope = CloudEventEnvelope.safeParse(raw);
  if (!envelope.success) return { ok: false, error: `invalid envelope: ${summarize(envelope.error.issues)}` };
  const { type, dataschema } = envelope.data;
  if (!isEventType(type)) return { ok: false, error: `unknown event type "${type}"` };
  if (dataschema !== dataSchemaOf(type)) return { ok: false, error: `unsupported dataschema "${dataschema}" for ${type}; expected ${dataSchemaOf(type)}` };
  const data = EVENT_CATALOG[type].schema.safeParse(envelope.data.data);
  if (!data.success) return { ok: false, error: `invalid data for ${type}: ${summarize(data.error.issues)}` };
  return { ok: true, event: { ...envelope.data, type, data: data.data } as AnyEvent };
}

function summarize(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}
