import { describe, expect, it } from 'vitest';
import { createEvent } from './create-event.js';
import { parseEvent } from './parse-event.js';

const taskId = '01900000-0000-7000-8000-000000000001';
const valid = createEvent(
  'reminder.due',
  { reminderId: '01900000-0000-7000-8000-000000000002', taskId, userId: 'user-1', title: 'Water plants', dueAt: null, remindAt: '2026-03-01T11:50:00.000Z', occurrenceIndex: null, notificationId: null },
  { source: 'taskstream/test', subject: taskId, partitionKey: 'user-1', time: new Date('2026-03-01T11:50:00Z') },
);
/** As it arrives from a broker: JSON, not the object that was sent. */
const wire = (value: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(value));

describe('parseEvent', () => {
  it('accepts a valid event as sent', () => {
    expect(parseEvent(wire(valid))).toEqual({ ok: true, event: valid });
  });

  it('applies the data schema: a missing defaulted field comes back with its default', () => {
    const raw = wire(valid);
    delete (raw.data as Record<string, unknown>).notificationId;
    const parsed = parseEvent(raw);
    expect(parsed.ok && parsed.event.type === 'reminder.due' && parsed.event.data.notificationId).toBeNull();
  });

  it('refuses a bad envelope, naming the attribute', () => {
    expect(parseEvent({ ...wire(valid), specversion: '0.3' })).toEqual({ ok: false, error: expect.stringMatching(/^invalid envelope: specversion: /) });
    expect(parseEvent({ ...wire(valid), traceparent: 'nope' })).toEqual({ ok: false, error: expect.stringMatching(/^invalid envelope: traceparent: /) });
  });

  it('refuses an unknown event type, also one named like an Object property', () => {
    for (const type of ['task.renamed', 'constructor']) {
      expect(parseEvent({ ...wire(valid), type })).toEqual({ ok: false, error: `unknown event type "${type}"` });
    }
  });

  it('refuses a dataschema of another version or type', () => {
    expect(parseEvent({ ...wire(valid), dataschema: 'urn:taskstream:event:reminder.due:v2' })).toEqual({
      ok: false,
      error: 'unsupported dataschema "urn:taskstream:event:reminder.due:v2" for reminder.due; expected urn:taskstream:event:reminder.due:v1',
    });
    expect(parseEvent({ ...wire(valid), type: 'task.created' })).toMatchObject({ ok: false, error: expect.stringMatching(/^unsupported dataschema/) });
  });

  it('refuses bad data, naming the type and each field (at most five)', () => {
    const raw = wire(valid);
    expect(parseEvent({ ...raw, data: { ...(raw.data as object), taskId: 'x', remindAt: 5 } })).toEqual({
      ok: false,
      error: expect.stringMatching(/^invalid data for reminder\.due: taskId: .+; remindAt: .+$/),
    });
    const error = (parseEvent({ ...raw, data: {} }) as { error: string }).error;
    expect(error.split('; ')).toHaveLength(5);
    expect(parseEvent({ ...raw, data: null })).toEqual({ ok: false, error: expect.stringMatching(/^invalid data for reminder\.due: \(root\): /) });
  });

  it('never throws, whatever arrives', () => {
    for (const raw of [null, undefined, 42, 'task.created', [], {}, { data: {} }]) {
      expect(parseEvent(raw)).toMatchObject({ ok: false, error: expect.stringMatching(/^invalid envelope: /) });
    }
  });
});
