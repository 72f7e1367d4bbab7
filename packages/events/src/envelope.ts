import { z } from 'zod';

const traceparentPattern = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * CloudEvents 1.0 structured envelope. `partitionkey` and `traceparent` are extension
 * attributes: the first keeps one user's events in order, the second carries the trace.
 */
export const CloudEventEnvelope = z.object({
  specversion: z.literal('1.0'),
  id: z.string().min(1).max(100),
  source: z.string().min(1).max(200),
  type: z.string().min(1).max(100),
  subject: z.string().min(1).max(200),
  time: z.iso.datetime({ offset: true }),
  datacontenttype: z.literal('application/json'),
  dataschema: z.string().min(1).max(200),
  partitionkey: z.string().min(1).max(200),
  traceparent: z.string().regex(traceparentPattern).optional(),
  data: z.unknown(),
});
export type CloudEventEnvelope = z.infer<typeof CloudEventEnvelope>;

export interface CloudEvent<TType extends string = string, TData = unknown> extends CloudEventEnvelope {
  type: TType;
  data: TData;
}

export const isTraceparent = (value: string): boolean => traceparentPattern.test(value);
