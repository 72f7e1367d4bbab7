import { CloudEventEnvelope, isTraceparent, type CloudEvent } from '@taskstream/events';

const ENVELOPE_KEYS = new Set(Object.keys(CloudEventEnvelope.shape));
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export type NormalizedDelivery = { ok: true; event: CloudEvent } | { ok: false; error: string };

/**
 * Turns what Dapr POSTs into our envelope: either the CloudEvent itself with Dapr's additions
 * (pubsubname, topic, traceid, tracestate…), or a Dapr CloudEvent whose data / data_base64 holds
 * our envelope as JSON (a raw payload, e.g. written to Kafka by a producer without Dapr).
 */
export function normalizeDelivery(body: unknown): NormalizedDelivery {
  let outer: unknown = body;
  if (Buffer.isBuffer(outer) || typeof outer === 'string') {
    const text = Buffer.isBuffer(outer) ? outer.toString('utf8') : outer;
    try {
      outer = JSON.parse(text);
    } catch {
      return { ok: false, error: `body is not JSON: ${text.slice(0, 200)}` };
    }
  }
  if (!isRecord(outer)) return { ok: false, error: 'body is not a JSON object' };
  let candidate: unknown = outer;
  if (!('partitionkey' in outer)) {
    try {
      if (typeof outer.data_base64 === 'string') candidate = JSON.parse(Buffer.from(outer.data_base64, 'base64').toString('utf8'));
      else if (typeof outer.data === 'string') candidate = JSON.parse(outer.data);
      else if (isRecord(outer.data)) candidate = outer.data;
    } catch {
      return { ok: false, error: 'data of the Dapr CloudEvent is not JSON' };
    }
  }
  if (!isRecord(candidate)) return { ok: false, error: 'payload is not a JSON object' };
  const envelope: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(candidate)) if (ENVELOPE_KEYS.has(k)) envelope[k] = v;
  // Dapr may set traceparent to "" (or something else) when the publisher had none.
  if (envelope.traceparent !== undefined && !(typeof envelope.traceparent === 'string' && isTraceparent(envelope.traceparent))) delete envelope.traceparent;
  const parsed = CloudEventEnvelope.safeParse(envelope);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    return { ok: false, error: `invalid envelope: ${issues.join('; ')}` };
  }
  return { ok: true, event: parsed.data };
}
