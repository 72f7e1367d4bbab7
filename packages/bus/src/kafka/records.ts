import { stringDeserializer, type Message, type MessagesStream } from '@platformatic/kafka';
import type { CloudEvent } from '@taskstream/events';
import { errorText } from '../error-text.js';

export type KafkaMessage = Message<string, Buffer, string, string>;
export type KafkaStream = MessagesStream<string, Buffer, string, string>;

export const deserializers = { key: stringDeserializer, headerKey: stringDeserializer, headerValue: stringDeserializer };

/** Group membership: short enough that a crashed member's partitions move within seconds. */
export const GROUP = { sessionTimeout: 10_000, rebalanceTimeout: 20_000, heartbeatInterval: 1_000 };
/** Long-poll of a fetch; bounds how long closing a stream waits for the fetch in flight. */
export const MAX_WAIT_MS = 500;

/** The CloudEvent in a record's value, or why there is none. */
export function parseRecord(value: Buffer | undefined): CloudEvent | string {
  if (!value || value.length === 0) return 'empty record value';
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (err) {
    return `value is not JSON: ${errorText(err)}`;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'value is not a JSON object';
  return parsed as CloudEvent;
}

/** close(true) also ends the client's streams; its promise overload does not accept `force`. */
export function forceClose(client: { close(force: boolean, callback: (error?: Error | null) => void): void }): Promise<void> {
  return new Promise((resolve, reject) => client.close(true, (error) => (error ? reject(error) : resolve())));
}
