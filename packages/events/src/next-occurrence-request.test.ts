import { describe, expect, it } from 'vitest';
import { NextOccurrenceRequest, SeriesEndRequest } from './next-occurrence-request.js';

describe('NextOccurrenceRequest', () => {
  it('accepts only a request for a later occurrence with an instant due date', () => {
    const base = { userId: 'user-1', seriesId: '00000000-0000-4000-8000-000000000001', occurrenceIndex: 1, dueAt: '2026-12-11T15:00:00Z', template: { title: 'x', description: '', priority: 'low', tags: [], reminderOffsets: [] } };
    expect(NextOccurrenceRequest.safeParse(base).success).toBe(true);
    expect(NextOccurrenceRequest.safeParse({ ...base, occurrenceIndex: 0 }).success).toBe(false);
    expect(NextOccurrenceRequest.safeParse({ ...base, dueAt: '2026-12-11T15:00' }).success).toBe(false);
  });

  it('refuses fields it does not know, and a priority outside the list', () => {
    const base = { userId: 'user-1', seriesId: '00000000-0000-4000-8000-000000000001', occurrenceIndex: 1, dueAt: '2026-12-11T15:00:00Z', template: { title: 'x', description: '', priority: 'low', tags: [], reminderOffsets: [] } };
    expect(NextOccurrenceRequest.safeParse({ ...base, extra: 1 }).success).toBe(false);
    expect(NextOccurrenceRequest.safeParse({ ...base, template: { ...base.template, priority: 'critical' } }).success).toBe(false);
  });
});

describe('SeriesEndRequest', () => {
  it('names a series and the occurrence after which it ended, and nothing else', () => {
    const base = { userId: 'user-1', seriesId: '00000000-0000-4000-8000-000000000001', occurrenceIndex: 0 };
    expect(SeriesEndRequest.safeParse(base).success).toBe(true);
    expect(SeriesEndRequest.safeParse({ ...base, occurrenceIndex: -1 }).success).toBe(false);
    expect(SeriesEndRequest.safeParse({ ...base, seriesId: 'not-a-uuid' }).success).toBe(false);
    expect(SeriesEndRequest.safeParse({ ...base, extra: 1 }).success).toBe(false);
  });
});
