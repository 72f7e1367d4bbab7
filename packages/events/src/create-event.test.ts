import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { EVENT_CATALOG, type EventData, type EventType } from './catalog.js';
import { createEvent, topicOf } from './create-event.js';
import { parseEvent } from './parse-event.js';

const reminder: EventData<'reminder.due'> = {
  reminderId: '01900000-0000-7000-8000-000000000002',
  taskId: '01900000-0000-7000-8000-000000000001',
  userId: 'user-1',
  title: 'Water plants',
  dueAt: '2026-03-01T12:00:00.000Z',
  remindAt: '2026-03-01T11:50:00.000Z',
  occurrenceIndex: null,
  notificationId: null,
};
const options = { source: 'taskstream/test', subject: reminder.taskId, partitionKey: 'user-1' };
const TRACE = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('createEvent', () => {
  it('builds a CloudEvents 1.0 envelope from the type, the data and the options', () => {
    const event = createEvent('reminder.due', reminder, { ...options, id: 'event-1', time: new Date('2026-03-01T11:50:00Z'), traceparent: TRACE });
    expect(event).toEqual({
      specversion: '1.0',
      id: 'event-1',
      source: 'taskstream/test',
      type: 'reminder.due',
      subject: reminder.taskId,
      time: '2026-03-01T11:50:00.000Z',
      datacontenttype: 'application/json',
      dataschema: 'urn:taskstream:event:reminder.due:v1',
      partitionkey: 'user-1',
      traceparent: TRACE,
      data: reminder,
    });
  });

  it('leaves traceparent out when there is none, so the envelope stays valid', () => {
    const event = createEvent('reminder.due', reminder, { ...options, traceparent: undefined });
    expect(Object.keys(event)).not.toContain('traceparent');
    expect(parseEvent(JSON.parse(JSON.stringify(event)))).toEqual({ ok: true, event });
  });

  it('gives each event a new time-ordered id and the current time when none is given', () => {
    const before = Date.now();
    const ids = Array.from({ length: 20 }, () => createEvent('reminder.due', reminder, options).id);
    expect(new Set(ids).size).toBe(20);
    expect([...ids].sort()).toEqual(ids);
    const time = Date.parse(createEvent('reminder.due', reminder, options).time);
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(Date.now());
  });

  it('applies the schema to the data: defaults filled in, unknown fields dropped', () => {
    const { notificationId: _n, ...loose } = reminder;
    const event = createEvent('reminder.due', { ...loose, extra: 'x' } as unknown as EventData<'reminder.due'>, options);
    expect(event.data).toEqual(reminder);
  });

  it('throws on data its type\'s schema refuses, so a bad event never leaves', () => {
    const bad = { ...reminder, taskId: 'not-a-uuid' };
    expect(() => createEvent('reminder.due', bad, options)).toThrow(ZodError);
    try {
      createEvent('reminder.due', bad, options);
    } catch (e) {
      expect((e as ZodError).issues.map((i) => i.path.join('.'))).toEqual(['taskId']);
    }
  });
});

describe('topicOf', () => {
  it('is the topic the catalog gives each type', () => {
    for (const type of Object.keys(EVENT_CATALOG) as EventType[]) expect(topicOf(type)).toBe(EVENT_CATALOG[type].topic);
    expect([topicOf('task.completed'), topicOf('task.changed'), topicOf('reminder.due'), topicOf('notification.changed')]).toEqual([
      'task-events',
      'task-updates',
      'reminders',
      'notifications',
    ]);
  });
});
