import { describe, expect, it } from 'vitest';
import { dataSchemaOf, EVENT_CATALOG, isEventType, TASK_LIFECYCLE_TYPES, type EventData, type EventType } from './catalog.js';
import type { TaskSnapshot } from './task-snapshot.js';
import { TOPICS } from './topics.js';

const taskId = '01900000-0000-7000-8000-000000000001';
const t = '2026-03-01T12:00:00.000Z';
const task: TaskSnapshot = {
  id: taskId, title: 'Water plants', description: '', status: 'open', priority: 'medium', tags: ['home'], dueAt: t, timeZone: 'Europe/Berlin',
  reminders: [{ id: '01900000-0000-7000-8000-000000000002', remindAt: null, offsetMinutes: 10, firesAt: '2026-03-01T11:50:00.000Z' }],
  recurrence: { kind: 'rrule', rule: 'FREQ=DAILY', repeatFrom: 'due', count: null, until: null, anchorAt: t, description: 'Every day' },
  seriesId: '01900000-0000-7000-8000-000000000003', occurrenceIndex: 0, completedAt: null, createdAt: t, updatedAt: t, version: 1,
};
const lifecycle = { taskId, userId: 'user-1', task, previous: {}, series: { seriesId: task.seriesId!, occurrenceIndex: 0 } };

/** One valid payload per event type; a new type without one here does not compile. */
const validData: { [T in EventType]: EventData<T> } = {
  'task.created': lifecycle,
  'task.updated': { ...lifecycle, previous: { title: 'Water' } },
  'task.completed': { ...lifecycle, task: { ...task, status: 'completed', completedAt: t } },
  'task.reopened': lifecycle,
  'task.deleted': { ...lifecycle, series: null },
  'task.changed': { userId: 'user-1', taskId, operation: 'updated', task },
  'reminder.due': { reminderId: '01900000-0000-7000-8000-000000000002', taskId, userId: 'user-1', title: 'Water plants', dueAt: t, remindAt: '2026-03-01T11:50:00.000Z', occurrenceIndex: 0, notificationId: null },
  'notification.changed': {
    userId: 'user-1',
    operation: 'created',
    notification: { id: '01900000-0000-7000-8000-000000000004', kind: 'reminder', taskId, title: 'Water plants', body: 'due at 12:00', dueAt: t, createdAt: t, readAt: null, snoozedUntil: null },
    unreadCount: 1,
  },
};

/** For each type, a payload broken in one field, and that field's path. */
const invalidData: { [T in EventType]: [unknown, string] } = {
  'task.created': [{ ...lifecycle, taskId: 'not-a-uuid' }, 'taskId'],
  'task.updated': [{ ...lifecycle, previous: null }, 'previous'],
  'task.completed': [{ ...lifecycle, task: { ...task, status: 'done' } }, 'task.status'],
  'task.reopened': [{ ...lifecycle, series: { seriesId: task.seriesId, occurrenceIndex: -1 } }, 'series.occurrenceIndex'],
  'task.deleted': [{ ...lifecycle, userId: '' }, 'userId'],
  'task.changed': [{ userId: 'user-1', taskId, operation: 'moved', task }, 'operation'],
  'reminder.due': [{ ...validData['reminder.due'], remindAt: undefined }, 'remindAt'],
  'notification.changed': [{ ...validData['notification.changed'], unreadCount: -1 }, 'unreadCount'],
};

const types = Object.keys(EVENT_CATALOG) as EventType[];

describe('EVENT_CATALOG', () => {
  for (const type of types) {
    it(`${type}: parses a valid payload unchanged and rejects a broken one, naming the field`, () => {
      const { schema } = EVENT_CATALOG[type];
      expect(schema.parse(validData[type])).toEqual(validData[type]);
      const [bad, field] = invalidData[type];
      const result = schema.safeParse(bad);
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual([field]);
    });
  }

  it('puts every lifecycle type on task-events, task.changed on task-updates, reminders and notifications on theirs', () => {
    expect(Object.fromEntries(types.map((type) => [type, EVENT_CATALOG[type].topic]))).toEqual({
      'task.created': TOPICS.taskEvents,
      'task.updated': TOPICS.taskEvents,
      'task.completed': TOPICS.taskEvents,
      'task.reopened': TOPICS.taskEvents,
      'task.deleted': TOPICS.taskEvents,
      'task.changed': TOPICS.taskUpdates,
      'reminder.due': TOPICS.reminders,
      'notification.changed': TOPICS.notifications,
    });
    expect(TASK_LIFECYCLE_TYPES.every((type) => EVENT_CATALOG[type].topic === 'task-events')).toBe(true);
    expect(types.filter((type) => EVENT_CATALOG[type].topic === 'task-events')).toEqual([...TASK_LIFECYCLE_TYPES]);
  });

  it('defaults reminder.due\'s notificationId to null for reminders that are not a snooze coming back', () => {
    const { notificationId: _omitted, ...withoutNotification } = validData['reminder.due'];
    expect(EVENT_CATALOG['reminder.due'].schema.parse(withoutNotification).notificationId).toBeNull();
  });

  it('allows a deleted task to be drawn as null in task.changed, but not a missing task', () => {
    const schema = EVENT_CATALOG['task.changed'].schema;
    expect(schema.safeParse({ ...validData['task.changed'], operation: 'deleted', task: null }).success).toBe(true);
    expect(schema.safeParse({ ...validData['task.changed'], task: undefined }).success).toBe(false);
  });
});

describe('isEventType and dataSchemaOf', () => {
  it('knows exactly the catalog\'s types, not names inherited from Object', () => {
    expect(types.every(isEventType)).toBe(true);
    for (const other of ['task.renamed', 'constructor', 'toString', '__proto__', '']) expect(isEventType(other)).toBe(false);
  });

  it('names each type\'s schema with its version', () => {
    expect(dataSchemaOf('task.created')).toBe('urn:taskstream:event:task.created:v1');
    expect(new Set(types.map(dataSchemaOf)).size).toBe(types.length);
  });
});
