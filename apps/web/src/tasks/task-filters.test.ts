import { describe, expect, it } from 'vitest';
import { DEFAULT_FILTERS, filtersFromSearch, hasActiveFilters, searchFromFilters, toTaskQuery } from './task-filters.js';

describe('filters in the URL', () => {
  it('round-trips every filter through the search string', () => {
    const filters = { ...DEFAULT_FILTERS, q: 'rent', status: 'all' as const, priority: ['high' as const, 'urgent' as const], tags: ['home', 'work'], tagMode: 'all' as const, dueFrom: '2026-12-01', dueTo: '2026-12-31', overdue: true, recurring: true, sort: 'priority' as const, order: 'desc' as const };
    const search = searchFromFilters(filters);
    expect(search).toBe('?q=rent&status=all&priority=high%2Curgent&tags=home%2Cwork&tagMode=all&dueFrom=2026-12-01&dueTo=2026-12-31&overdue=true&recurring=true&sort=priority&order=desc');
    expect(filtersFromSearch(new URLSearchParams(search))).toEqual(filters);
  });

  it('leaves defaults out, so the plain list has a plain URL', () => {
    expect(searchFromFilters(DEFAULT_FILTERS)).toBe('');
    expect(hasActiveFilters(DEFAULT_FILTERS)).toBe(false);
    expect(hasActiveFilters({ ...DEFAULT_FILTERS, sort: 'title' })).toBe(false);
    expect(hasActiveFilters({ ...DEFAULT_FILTERS, overdue: true })).toBe(true);
  });

  it('ignores what it does not understand instead of failing the page', () => {
    const f = filtersFromSearch(new URLSearchParams('status=bogus&priority=high,extreme&dueFrom=tomorrow&sort=colour&order=sideways'));
    expect(f).toEqual({ ...DEFAULT_FILTERS, priority: ['high'] });
  });
});

describe('the API query for filters', () => {
  it('asks for open and in-progress tasks by default', () => {
    expect(toTaskQuery(DEFAULT_FILTERS, 'UTC')).toMatchObject({ status: 'open,in_progress', limit: 50 });
    expect(toTaskQuery({ ...DEFAULT_FILTERS, status: 'all' }, 'UTC').status).toBeUndefined();
  });

  it('turns a due range of dates into the instants those days begin and end in the user zone', () => {
    // 29 March 2026: Berlin moves from +01:00 to +02:00, so the day ends at 22:00 UTC.
    const q = toTaskQuery({ ...DEFAULT_FILTERS, dueFrom: '2026-03-29', dueTo: '2026-03-29' }, 'Europe/Berlin');
    expect(q.dueAfter).toBe('2026-03-28T23:00:00.000Z');
    expect(q.dueBefore).toBe('2026-03-29T22:00:00.000Z');
  });

  it('ends a due range at the start of the next calendar day, across month, year and leap days', () => {
    const dueBefore = (dueTo: string) => toTaskQuery({ ...DEFAULT_FILTERS, dueTo }, 'Europe/Berlin').dueBefore;
    expect(dueBefore('2026-01-31')).toBe('2026-01-31T23:00:00.000Z');
    expect(dueBefore('2026-12-31')).toBe('2026-12-31T23:00:00.000Z');
    expect(dueBefore('2028-02-28')).toBe('2028-02-28T23:00:00.000Z');
    expect(dueBefore('2027-02-28')).toBe('2027-02-28T23:00:00.000Z');
    // 25 October 2026: Berlin moves back to +01:00, so the 24th ends at 22:00 UTC and the 25th at 23:00.
    expect(dueBefore('2026-10-24')).toBe('2026-10-24T22:00:00.000Z');
    expect(dueBefore('2026-10-25')).toBe('2026-10-25T23:00:00.000Z');
  });

  it('sends tagMode only when it can matter', () => {
    expect(toTaskQuery({ ...DEFAULT_FILTERS, tags: ['home'], tagMode: 'all' }, 'UTC').tagMode).toBeUndefined();
    expect(toTaskQuery({ ...DEFAULT_FILTERS, tags: ['home', 'work'], tagMode: 'all' }, 'UTC')).toMatchObject({ tags: 'home,work', tagMode: 'all' });
  });
});
