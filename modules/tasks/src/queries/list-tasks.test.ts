import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTask } from '../commands/create-task.js';
import { completeTask } from '../commands/set-task-status.js';
import { updateTask } from '../commands/update-task.js';
import type { Actor } from '../context.js';
import { TaskError } from '../errors.js';
import { CreateTaskInput, ListTasksQuery, sortFields, type TaskView } from '../task-schemas.js';
import { createTasksFixture, type TasksFixture } from '../testing/tasks-fixture.js';
import { listTasks } from './list-tasks.js';
import { encodeCursor } from './task-cursor.js';

let f: TasksFixture;
let ada: Actor;
let bob: Actor;

/** Ada's tasks; titles are plain lowercase words so the title order is the same under any collation. */
const fixtures = [
  { title: 'alpha report', priority: 'high', tags: ['Work'], dueAt: '2026-03-01T09:00:00Z', reminders: [{ offsetMinutes: 10 }] },
  { title: 'bravo call', priority: 'low', tags: ['home'], dueAt: '2026-03-05T09:00:00Z' },
  { title: 'charlie plan', priority: 'high', tags: ['work', 'home'], dueAt: '2026-03-05T09:00:00Z', status: 'in_progress' },
  { title: 'delta chores', priority: 'urgent' },
  { title: 'echo review', priority: 'medium', status: 'completed' },
  { title: 'foxtrot weekly', priority: 'medium', dueAt: '2026-02-20T09:00:00Z', recurrence: { rule: 'FREQ=WEEKLY' } },
  { title: 'golf team meeting', priority: 'low', dueAt: '2026-03-10T09:00:00Z', description: 'agenda for the quarter' },
  { title: 'hotel notes', priority: 'low', description: 'budget figures for the team', reminders: [{ remindAt: '2026-03-02T08:00:00Z' }] },
  { title: 'india budget', priority: 'urgent', dueAt: '2026-03-10T09:00:00Z' },
  { title: 'juliet running plan', priority: 'medium', description: 'ten runs' },
];

const id: Record<string, string> = {};
const list = async (query: Record<string, string> = {}, actor = ada) => listTasks(f.ctx, actor, ListTasksQuery.parse({ limit: '200', ...query }));
const titles = async (query: Record<string, string> = {}, actor = ada) => (await list(query, actor)).items.map((t) => t.title);
const sorted = (xs: string[]) => [...xs].sort();

beforeAll(async () => {
  f = await createTasksFixture('2026-03-01T12:00:00.000Z');
  ada = await f.newUser();
  bob = await f.newUser();
  for (const [i, body] of fixtures.entries()) {
    // bravo and charlie are created in the same instant: a tie for createdAt.
    if (i !== 2) f.clock.advance(60_000);
    id[body.title] = (await createTask(f.ctx, ada, CreateTaskInput.parse(body))).id;
  }
  f.clock.advance(60_000);
  await completeTask(f.ctx, ada, id['foxtrot weekly']!);
  f.clock.advance(60_000);
  await updateTask(f.ctx, ada, id['bravo call']!, { description: 'about the budget' });
  await createTask(f.ctx, bob, CreateTaskInput.parse({ title: 'alpha meeting budget report', tags: ['work'], priority: 'urgent', dueAt: '2026-03-01T09:00:00Z', reminders: [{ offsetMinutes: 5 }] }));
  f.clock.advance(60_000);
});
afterAll(() => f.close());

describe('listTasks filters', () => {
  it('lists every task of the user and none of another user\'s', async () => {
    expect(sorted(await titles())).toEqual(sorted(fixtures.map((x) => x.title)));
    expect(await titles({}, bob)).toEqual(['alpha meeting budget report']);
  });

  it('filters by status and priority lists', async () => {
    expect(sorted(await titles({ status: 'completed' }))).toEqual(['echo review', 'foxtrot weekly']);
    expect(sorted(await titles({ status: 'in_progress,completed' }))).toEqual(['charlie plan', 'echo review', 'foxtrot weekly']);
    expect(sorted(await titles({ priority: 'urgent,high' }))).toEqual(['alpha report', 'charlie plan', 'delta chores', 'india budget']);
  });

  it('filters by tags, any or all, whatever their case', async () => {
    expect(sorted(await titles({ tags: 'WORK' }))).toEqual(['alpha report', 'charlie plan']);
    expect(sorted(await titles({ tags: 'work,home' }))).toEqual(['alpha report', 'bravo call', 'charlie plan']);
    expect(await titles({ tags: 'work,HOME', tagMode: 'all' })).toEqual(['charlie plan']);
    expect(await titles({ tags: 'nothing' })).toEqual([]);
  });

  it('filters by due range: dueAfter inclusive, dueBefore exclusive, undated tasks never match', async () => {
    expect(sorted(await titles({ dueAfter: '2026-03-05T09:00:00Z', dueBefore: '2026-03-10T09:00:00Z' }))).toEqual(['bravo call', 'charlie plan']);
    expect(sorted(await titles({ dueBefore: '2026-03-01T09:00:00.001Z' }))).toEqual(['alpha report', 'foxtrot weekly']);
  });

  it('filters overdue by the context\'s clock: due before now and not completed', async () => {
    expect(await titles({ overdue: 'true' })).toEqual(['alpha report']);
    expect(await titles({ overdue: 'false' })).not.toContain('alpha report');
    expect((await titles({ overdue: 'false' })).length).toBe(fixtures.length - 1);
    const later = { ...f.ctx, now: () => new Date('2026-03-06T00:00:00Z') };
    const overdueLater = await listTasks(later, ada, ListTasksQuery.parse({ overdue: 'true' }));
    expect(sorted(overdueLater.items.map((t) => t.title))).toEqual(['alpha report', 'bravo call', 'charlie plan']);
  });

  it('filters by recurring and by having reminders', async () => {
    expect(await titles({ recurring: 'true' })).toEqual(['foxtrot weekly']);
    expect((await titles({ recurring: 'false' })).length).toBe(fixtures.length - 1);
    expect(sorted(await titles({ hasReminders: 'true' }))).toEqual(['alpha report', 'hotel notes']);
    expect(await titles({ hasReminders: 'false' })).not.toContain('hotel notes');
  });

  it('combines filters with and', async () => {
    expect(await titles({ priority: 'high', status: 'open' })).toEqual(['alpha report']);
  });
});

const priorityRank = { low: 0, medium: 1, high: 2, urgent: 3 } as const;
const keyOf: Record<(typeof sortFields)[number], (t: TaskView) => string | number | null> = {
  dueAt: (t) => t.dueAt && Date.parse(t.dueAt),
  priority: (t) => priorityRank[t.priority],
  createdAt: (t) => Date.parse(t.createdAt),
  updatedAt: (t) => Date.parse(t.updatedAt),
  title: (t) => t.title.toLowerCase(),
};

/** The documented order: by the key, then by id, both in the requested direction; a missing key last either way. */
function expectedOrder(items: TaskView[], sort: (typeof sortFields)[number], order: 'asc' | 'desc'): string[] {
  const sign = order === 'asc' ? 1 : -1;
  const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  return [...items]
    .sort((a, b) => {
      const [ka, kb] = [keyOf[sort](a), keyOf[sort](b)];
      if (ka === null || kb === null) {
        if (ka !== kb) return ka === null ? 1 : -1;
      } else if (ka !== kb) return sign * cmp(ka, kb);
      return sign * cmp(a.id, b.id);
    })
    .map((t) => t.title);
}

describe('listTasks sorting and paging', () => {
  it('sorts by due date by default, soonest first, undated last', async () => {
    const items = await titles();
    expect(items.slice(0, 2)).toEqual(['foxtrot weekly', 'alpha report']);
    expect(sorted(items.slice(2, 4))).toEqual(['bravo call', 'charlie plan']);
    expect(sorted(items.slice(4, 6))).toEqual(['golf team meeting', 'india budget']);
    expect(sorted(items.slice(6))).toEqual(['delta chores', 'echo review', 'hotel notes', 'juliet running plan']);
  });

  it('sorts by priority most urgent first by default, and by title case-insensitively', async () => {
    const byPriority = (await list({ sort: 'priority' })).items.map((t) => t.priority);
    expect(byPriority).toEqual([...byPriority].sort((a, b) => priorityRank[b] - priorityRank[a]));
    expect(await titles({ sort: 'title' })).toEqual(sorted(fixtures.map((x) => x.title)));
  });

  for (const sort of sortFields) {
    for (const order of ['asc', 'desc'] as const) {
      it(`orders sort=${sort}&order=${order} by key then id, and pages through it with every task once`, async () => {
        const all = (await list({ sort, order })).items;
        expect(all.map((t) => t.title)).toEqual(expectedOrder(all, sort, order));
        const paged: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page = await list({ sort, order, limit: '3', ...(cursor && { cursor }) });
          expect(page.items.length).toBeLessThanOrEqual(3);
          paged.push(...page.items.map((t) => t.title));
          cursor = page.nextCursor;
          pages += 1;
        } while (cursor && pages < 20);
        expect(paged).toEqual(all.map((t) => t.title));
        expect(pages).toBe(Math.ceil(fixtures.length / 3));
      });
    }
  }

  it('gives no next cursor when the page holds the rest', async () => {
    expect((await list({ limit: String(fixtures.length) })).nextCursor).toBeNull();
    expect((await list({ limit: String(fixtures.length - 1) })).nextCursor).not.toBeNull();
  });

  const refusal = async (query: Record<string, string>) => {
    const e: unknown = await list(query).catch((x: unknown) => x);
    expect(e, JSON.stringify(query)).toBeInstanceOf(TaskError);
    expect(e).toMatchObject({ kind: 'validation', code: 'invalid_cursor', errors: [{ path: 'cursor' }] });
  };

  it('refuses a forged cursor and a cursor of another sort with invalid_cursor at cursor', async () => {
    for (const query of [
      { cursor: 'not-a-cursor' } as Record<string, string>,
      { cursor: encodeCursor({ sort: 'dueAt', order: 'asc', key: '2026-03-01T09:00:00.000000Z', id: 'not-a-uuid' }) },
      // A position in the undated tail of sort=dueAt means nothing for a sort without nulls.
      { cursor: encodeCursor({ sort: 'priority', order: 'desc', key: null, id: id['delta chores']! }), sort: 'priority' },
    ]) await refusal(query);
  });

  it('refuses a cursor handed out for another sort, order or relevance, with invalid_cursor', async () => {
    const byTitle = (await list({ sort: 'title', limit: '1' })).nextCursor!;
    const byRank = (await list({ q: 'budget', limit: '1' })).nextCursor!;
    await refusal({ sort: 'dueAt', cursor: byTitle });
    await refusal({ sort: 'createdAt', cursor: byTitle });
    await refusal({ sort: 'title', order: 'desc', cursor: byTitle });
    await refusal({ q: 'budget', cursor: byTitle });
    await refusal({ sort: 'title', cursor: byRank });
    // The same cursor with the order it was made for still pages on.
    expect((await list({ sort: 'title', limit: '1', cursor: byTitle })).items.map((t) => t.title)).toEqual(['bravo call']);
  });

  it('refuses, with invalid_cursor rather than a database error, a key its sort\'s column could not hold', async () => {
    const task = id['alpha report']!;
    for (const [sort, order, key] of [
      ['dueAt', 'asc', 'not a date'],
      ['dueAt', 'asc', '2026-02-30T09:00:00.000000Z'],
      ['createdAt', 'desc', '2026-03-01 12:00:00+00'],
      ['updatedAt', 'desc', '99999-01-01T00:00:00.000000Z'],
      ['priority', 'desc', 'critical'],
      ['title', 'asc', 'nul\u0000inside'],
    ] as const) await refusal({ sort, order, cursor: encodeCursor({ sort, order, key, id: task }) });
    for (const key of ['many', '1e50', '1e-50', 'NaN']) await refusal({ q: 'budget', cursor: encodeCursor({ sort: 'rank', order: 'desc', key, id: task }) });
  });
});

describe('listTasks full-text search', () => {
  it('matches words as prefixes, in title and description', async () => {
    expect(await titles({ q: 'meet' })).toEqual(['golf team meeting']);
    expect(sorted(await titles({ q: 'team' }))).toEqual(['golf team meeting', 'hotel notes']);
    expect(await titles({ q: 'AGEND' })).toEqual(['golf team meeting']);
  });

  it('ranks a title match above a description match', async () => {
    const found = await titles({ q: 'budget' });
    expect(found[0]).toBe('india budget');
    expect(sorted(found.slice(1))).toEqual(['bravo call', 'hotel notes']);
  });

  it('stems English words and keeps websearch syntax', async () => {
    expect(await titles({ q: 'runs' })).toEqual(['juliet running plan']);
    expect(await titles({ q: '"team meeting"' })).toEqual(['golf team meeting']);
    expect(await titles({ q: 'team -meeting' })).toEqual(['hotel notes']);
    expect(sorted(await titles({ q: 'chores or review' }))).toEqual(['delta chores', 'echo review']);
  });

  it('treats a query without a word as no query', async () => {
    expect((await titles({ q: '&|!' })).length).toBe(fixtures.length);
  });

  it('combines with filters and never finds another user\'s tasks', async () => {
    expect(sorted(await titles({ q: 'budget', priority: 'low' }))).toEqual(['bravo call', 'hotel notes']);
    expect(await titles({ q: 'report' })).toEqual(['alpha report']);
    expect(await titles({ q: 'budget' }, bob)).toEqual(['alpha meeting budget report']);
  });

  it('pages through results by rank with every match once', async () => {
    const all = await titles({ q: 'budget or team or plan' });
    expect(all.length).toBeGreaterThan(3);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list({ q: 'budget or team or plan', limit: '2', ...(cursor && { cursor }) });
      paged.push(...page.items.map((t) => t.title));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
  });
});
