import { describe, expect, it } from 'vitest';
import { taskFixture } from '../testing/task-fixture.js';
import { draftFromTask, inputFromDraft, newRecurrence, reminderFromMinutes } from './task-draft.js';

const recurrence = (rule: string, kind: 'rrule' | 'cron' = 'rrule') => ({ kind, rule, repeatFrom: 'due' as const, count: null, until: null, anchorAt: '2026-12-01T08:00:00.000Z', description: '' });

describe('the edit form draft', () => {
  it('shows the due time and absolute reminders in the task zone, and sends them back as local times', () => {
    const task = taskFixture({
      dueAt: '2026-12-01T08:00:00.000Z',
      timeZone: 'Europe/Berlin',
      reminders: [
        { id: '00000000-0000-4000-8000-0000000000a1', remindAt: null, offsetMinutes: 90, firesAt: null },
        { id: '00000000-0000-4000-8000-0000000000a2', remindAt: '2026-11-30T17:00:00.000Z', offsetMinutes: null, firesAt: null },
      ],
    });
    const draft = draftFromTask(task);
    expect(draft.due).toBe('2026-12-01T09:00');
    expect(draft.reminders).toEqual([{ kind: 'before', amount: 90, unit: 'minutes' }, { kind: 'at', at: '2026-11-30T18:00' }]);
    expect(inputFromDraft(draft)).toMatchObject({
      dueAt: '2026-12-01T09:00',
      timeZone: 'Europe/Berlin',
      reminders: [{ offsetMinutes: 90 }, { remindAt: '2026-11-30T18:00' }],
      recurrence: null,
    });
  });

  it('picks the largest whole unit for a relative reminder', () => {
    expect(reminderFromMinutes(2880)).toEqual({ kind: 'before', amount: 2, unit: 'days' });
    expect(reminderFromMinutes(120)).toEqual({ kind: 'before', amount: 2, unit: 'hours' });
    expect(reminderFromMinutes(0)).toEqual({ kind: 'before', amount: 0, unit: 'minutes' });
  });

  it('recognises presets, custom RRULEs and cron expressions', () => {
    expect(draftFromTask(taskFixture({ recurrence: recurrence('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR') })).recurrence?.mode).toBe('weekdays');
    expect(draftFromTask(taskFixture({ recurrence: recurrence('FREQ=MONTHLY;BYMONTHDAY=1') })).recurrence).toMatchObject({ mode: 'rrule', text: 'FREQ=MONTHLY;BYMONTHDAY=1' });
    expect(draftFromTask(taskFixture({ recurrence: recurrence('0 9 * * 1-5', 'cron') })).recurrence).toMatchObject({ mode: 'cron', text: '0 9 * * 1-5' });
  });

  it('sends a recurrence as the rule text with its end and where it repeats from', () => {
    const draft = draftFromTask(taskFixture());
    expect(inputFromDraft({ ...draft, recurrence: { ...newRecurrence('monthly'), repeatFrom: 'completion', end: 'count', count: 12 } }).recurrence).toEqual({ rule: 'monthly', repeatFrom: 'completion', count: 12 });
    expect(inputFromDraft({ ...draft, recurrence: { ...newRecurrence('cron'), end: 'until', until: '2027-06-30' } }).recurrence).toEqual({ rule: '0 9 * * 1-5', repeatFrom: 'due', until: '2027-06-30T23:59' });
  });
});
