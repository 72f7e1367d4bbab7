import { describe, expect, it } from 'vitest';
import { nextOccurrence } from './next-occurrence.js';
import { parseRecurrence } from './parse-recurrence.js';
import type { RecurrenceInput } from './recurrence.js';

interface Case {
  input: RecurrenceInput;
  zone: string;
  anchor: string;
  currentDue: string;
  completedAt: string;
  occurrenceIndex?: number;
}

function next({ input, zone, anchor, currentDue, completedAt, occurrenceIndex = 0 }: Case): string | null {
  const recurrence = parseRecurrence(input);
  const result = nextOccurrence({
    recurrence, anchor: new Date(anchor), zone, currentDue: new Date(currentDue), completedAt: new Date(completedAt), occurrenceIndex,
  });
  return result?.toISOString() ?? null;
}

describe('nextOccurrence: repeat from due', () => {
  const daily = { input: { rule: 'daily' }, zone: 'Europe/Berlin', anchor: '2026-05-01T07:00:00Z' };

  it('is the first occurrence strictly after the current due, whenever it was completed', () => {
    expect(next({ ...daily, currentDue: '2026-05-10T07:00:00Z', completedAt: '2026-05-20T12:00:00Z' })).toBe('2026-05-11T07:00:00.000Z');
    expect(next({ ...daily, currentDue: '2026-05-10T07:00:00Z', completedAt: '2026-05-09T12:00:00Z' })).toBe('2026-05-11T07:00:00.000Z');
  });

  it('follows the series when the current due was moved off it', () => {
    expect(next({ ...daily, currentDue: '2026-05-10T12:00:00Z', completedAt: '2026-05-10T12:00:00Z' })).toBe('2026-05-11T07:00:00.000Z');
  });

  it('keeps local time across DST', () => {
    expect(next({ ...daily, anchor: '2026-03-01T08:00:00Z', currentDue: '2026-03-28T08:00:00Z', completedAt: '2026-03-28T09:00:00Z' })).toBe('2026-03-29T07:00:00.000Z');
  });

  it('follows cron from the current due', () => {
    const cron = { input: { rule: '0 9 * * 1-5' }, zone: 'America/New_York', anchor: '2026-03-02T14:00:00Z' };
    expect(next({ ...cron, currentDue: '2026-03-06T14:00:00Z', completedAt: '2026-03-06T15:00:00Z' })).toBe('2026-03-09T13:00:00.000Z');
  });
});

describe('nextOccurrence: series end', () => {
  const counted = { input: { rule: 'daily', count: 3 }, zone: 'UTC', anchor: '2026-05-01T09:00:00Z' };

  it('returns null once occurrenceIndex + 1 reaches count', () => {
    expect(next({ ...counted, currentDue: '2026-05-02T09:00:00Z', completedAt: '2026-05-02T10:00:00Z', occurrenceIndex: 1 })).toBe('2026-05-03T09:00:00.000Z');
    expect(next({ ...counted, currentDue: '2026-05-03T09:00:00Z', completedAt: '2026-05-03T10:00:00Z', occurrenceIndex: 2 })).toBeNull();
  });

  it('counts tasks, not series positions, so a moved due does not change the end', () => {
    expect(next({ ...counted, currentDue: '2026-06-01T09:00:00Z', completedAt: '2026-06-01T10:00:00Z', occurrenceIndex: 1 })).toBe('2026-06-02T09:00:00.000Z');
  });

  it('returns null when the next instant is after until (until itself still counts)', () => {
    const bounded = { input: { rule: 'daily', until: '2026-05-12T09:00:00Z' }, zone: 'UTC', anchor: '2026-05-10T09:00:00Z' };
    expect(next({ ...bounded, currentDue: '2026-05-11T09:00:00Z', completedAt: '2026-05-11T09:30:00Z' })).toBe('2026-05-12T09:00:00.000Z');
    expect(next({ ...bounded, currentDue: '2026-05-12T09:00:00Z', completedAt: '2026-05-12T09:30:00Z' })).toBeNull();
  });

  it('applies count and until to repeat-from-completion as well', () => {
    const input: RecurrenceInput = { rule: 'daily', repeatFrom: 'completion', until: '2026-05-12T23:00:00Z' };
    expect(next({ input, zone: 'UTC', anchor: '2026-05-01T09:00:00Z', currentDue: '2026-05-10T09:00:00Z', completedAt: '2026-05-12T10:00:00Z' })).toBeNull();
    expect(next({ input: { rule: 'daily', repeatFrom: 'completion', count: 1 }, zone: 'UTC', anchor: '2026-05-01T09:00:00Z', currentDue: '2026-05-01T09:00:00Z', completedAt: '2026-05-01T10:00:00Z' })).toBeNull();
  });
});

describe('nextOccurrence: repeat from completion', () => {
  const every3Days = { input: { rule: 'FREQ=DAILY;INTERVAL=3', repeatFrom: 'completion' as const }, zone: 'Europe/Berlin', anchor: '2026-05-01T07:00:00Z', currentDue: '2026-05-07T07:00:00Z' };

  it('restarts on the completion day at the anchor time and skips that start (completed after it)', () => {
    // Completed 2026-05-10 15:00 Berlin -> 2026-05-13 09:00 Berlin.
    expect(next({ ...every3Days, completedAt: '2026-05-10T13:00:00Z' })).toBe('2026-05-13T07:00:00.000Z');
  });

  it('skips the restarted start even when completed before it that day', () => {
    // Completed 2026-05-10 07:00 Berlin; the restart 05-10 09:00 stands for the task just done.
    expect(next({ ...every3Days, completedAt: '2026-05-10T05:00:00Z' })).toBe('2026-05-13T07:00:00.000Z');
  });

  it('uses the completion date in the task zone, not in UTC', () => {
    // 2026-05-10T20:00Z is already 2026-05-11 01:30 in Kolkata.
    const kolkata = { ...every3Days, zone: 'Asia/Kolkata', anchor: '2026-05-01T03:30:00Z' };
    expect(next({ ...kolkata, completedAt: '2026-05-10T20:00:00Z' })).toBe('2026-05-14T03:30:00.000Z');
  });

  it('daily from completion is tomorrow at the anchor time, across DST', () => {
    const daily = { input: { rule: 'daily', repeatFrom: 'completion' as const }, zone: 'Europe/Berlin', anchor: '2026-03-01T08:00:00Z', currentDue: '2026-03-20T08:00:00Z' };
    expect(next({ ...daily, completedAt: '2026-03-28T19:00:00Z' })).toBe('2026-03-29T07:00:00.000Z');
  });

  it('weekly Monday+Friday completed on a Wednesday is due that Friday', () => {
    const input: RecurrenceInput = { rule: 'FREQ=WEEKLY;BYDAY=MO,FR', repeatFrom: 'completion' };
    // 2026-05-13 is a Wednesday.
    expect(next({ input, zone: 'UTC', anchor: '2026-05-04T09:00:00Z', currentDue: '2026-05-08T09:00:00Z', completedAt: '2026-05-13T16:00:00Z' })).toBe('2026-05-15T09:00:00.000Z');
  });

  it('monthly preset takes the day of month from the completion day', () => {
    const input: RecurrenceInput = { rule: 'monthly', repeatFrom: 'completion' };
    expect(next({ input, zone: 'UTC', anchor: '2026-01-15T09:00:00Z', currentDue: '2026-02-15T09:00:00Z', completedAt: '2026-03-20T10:00:00Z' })).toBe('2026-04-20T09:00:00.000Z');
  });

  it('hourly rules restart at the completion hour, keeping the anchor minute', () => {
    const input: RecurrenceInput = { rule: 'FREQ=HOURLY;INTERVAL=2', repeatFrom: 'completion' };
    expect(next({ input, zone: 'UTC', anchor: '2026-05-01T09:00:00Z', currentDue: '2026-05-10T13:00:00Z', completedAt: '2026-05-10T15:07:00Z' })).toBe('2026-05-10T17:00:00.000Z');
  });

  it('keeps the wall time of an anchor inside a DST gap: 02:30 stays 02:30 after the gap day', () => {
    const gap = { input: { rule: 'daily', repeatFrom: 'completion' as const }, zone: 'America/New_York', anchor: '2026-03-01T07:30:00Z', currentDue: '2026-03-07T07:30:00Z' };
    expect(next({ ...gap, completedAt: '2026-03-07T15:00:00Z' })).toBe('2026-03-08T07:30:00.000Z'); // 03:30 EDT, shifted
    expect(next({ ...gap, completedAt: '2026-03-08T15:00:00Z' })).toBe('2026-03-09T06:30:00.000Z'); // 02:30 EDT
  });

  it('cron takes the first match after the completion', () => {
    const input: RecurrenceInput = { rule: '0 9 * * 1-5', repeatFrom: 'completion' };
    // Completed Friday 2026-03-06 10:00 EST -> Monday 09:00 EDT.
    expect(next({ input, zone: 'America/New_York', anchor: '2026-03-02T14:00:00Z', currentDue: '2026-03-04T14:00:00Z', completedAt: '2026-03-06T15:00:00Z' })).toBe('2026-03-09T13:00:00.000Z');
    // Completed before that day's 09:00 -> the same day.
    expect(next({ input, zone: 'America/New_York', anchor: '2026-03-02T14:00:00Z', currentDue: '2026-03-04T14:00:00Z', completedAt: '2026-03-06T12:00:00Z' })).toBe('2026-03-06T14:00:00.000Z');
  });
});
