import { describe, expect, it } from 'vitest';
import { CloudEventEnvelope, isTraceparent } from './envelope.js';

const TRACE = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const envelope = {
  specversion: '1.0',
  id: '01900000-0000-7000-8000-000000000001',
  source: 'taskstream/api',
  type: 'task.created',
  subject: '01900000-0000-7000-8000-000000000002',
  time: '2026-03-01T12:00:00.000Z',
  datacontenttype: 'application/json',
  dataschema: 'urn:taskstream:event:task.created:v1',
  partitionkey: 'user-1',
  traceparent: TRACE,
  data: { anything: true },
};

const failingPaths = (value: unknown) => {
  const r = CloudEventEnvelope.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
};

describe('CloudEventEnvelope', () => {
  it('accepts a CloudEvents 1.0 structured event, with or without traceparent', () => {
    expect(CloudEventEnvelope.parse(envelope)).toEqual(envelope);
    const { traceparent: _t, ...untraced } = envelope;
    expect(CloudEventEnvelope.parse(untraced)).toEqual(untraced);
  });

  it('accepts a time with an offset', () => {
    expect(failingPaths({ ...envelope, time: '2026-03-01T13:00:00+01:00' })).toEqual([]);
  });

  it('requires each CloudEvents attribute, naming the one missing', () => {
    for (const field of ['specversion', 'id', 'source', 'type', 'subject', 'time', 'datacontenttype', 'dataschema', 'partitionkey']) {
      const { [field as keyof typeof envelope]: _dropped, ...rest } = envelope;
      expect(failingPaths(rest)).toEqual([field]);
    }
  });

  it('refuses another spec version, a content type other than JSON, a time that is not ISO and empty ids', () => {
    expect(failingPaths({ ...envelope, specversion: '0.3' })).toEqual(['specversion']);
    expect(failingPaths({ ...envelope, datacontenttype: 'text/plain' })).toEqual(['datacontenttype']);
    expect(failingPaths({ ...envelope, time: 'yesterday' })).toEqual(['time']);
    expect(failingPaths({ ...envelope, id: '' })).toEqual(['id']);
    expect(failingPaths({ ...envelope, partitionkey: 'x'.repeat(201) })).toEqual(['partitionkey']);
  });

  it('validates traceparent as W3C trace context', () => {
    for (const bad of [
      '00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01', // upper case
      '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01', // trace id one digit short
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b-01', // parent id one digit short
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7', // no flags
      ` ${TRACE}`,
      `${TRACE}\n`,
    ]) {
      expect(isTraceparent(bad), bad).toBe(false);
      expect(failingPaths({ ...envelope, traceparent: bad })).toEqual(['traceparent']);
    }
    expect(isTraceparent(TRACE)).toBe(true);
  });
});
