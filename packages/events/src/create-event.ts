import { uuidv7 } from 'uuidv7';
import { dataSchemaOf, EVENT_CATALOG, type EventData, type EventType } from './catalog.js';
import type { CloudEvent } from './envelope.js';

export interface EventOptions {
  source: string;
  subject: string;
  partitionKey: string;
  traceparent?: string | undefined;
  id?: string;
  time?: Date;
}

/** Builds a valid envelope; the data is checked against the catalog so a bad event never leaves. */
export function createEvent<T extends EventType>(type: T, data: EventData<T>, options: EventOptions): CloudEvent<T, EventData<T>> {
  const parsed = EVENT_CATALOG[type].schema.parse(data) as EventData<T>;
  return {
    specversion: '1.0',
    id: options.id ?? uuidv7(),
    source: options.source,
    type,
    subject: options.subject,
    time: (options.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    dataschema: dataSchemaOf(type),
    partitionkey: options.partitionKey,
    ...(options.traceparent && { traceparent: options.traceparent }),
    data: parsed,
  };
}

export const topicOf = (type: EventType) => EVENT_CATALOG[type].topic;
