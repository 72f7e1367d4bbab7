import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../testing/test-app.js';

// The clock is fixed so "overdue" is deterministic.
const NOW = new Date('2026-11-25T12:00:00Z');
let t: TestApp;
let ada: TestUser;
let bob: TestUser;
const ids: Record<string, string> = {};

const list = async (user: TestUser, query: string) => {
  const res = await t.app.inject({ method: 'GET', url: `/api/tasks?${query}`, headers: user.headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: { id: string; title: string; dueAt: string | null; priority: string }[]; nextCursor: string | null }>();
};
const titles = async (query: string, user = ada) => (await list(user, query)).items.map((i) => i.title);

beforeAll(async () => {
  t = await createTestApp({ now: () => NOW });
  ada = await t.signUp({ timeZone: 'UTC' });
  bob = await t.signUp();
  const fixtures = [
    { title: 'Weekly meeting notes', description: 'write up decisions', priority: 'high', tags: ['work'], dueAt: '2026-11-20T09:00:00Z' },
    { title: 'Groceries', description: 'milk before the meeting', priority: 'low', tags: ['home'], dueAt: '2026-11-30T09:00:00Z' },
    { title: 'Prepare slides', description: 'for the Berlin meetup', priority: 'urgent', tags: ['work', 'talks'], dueAt: '2026-11-26T09:00:00Z', reminders: [{ offsetMinutes: 30 }] },
    { title: 'Call mom', description: '', priority: 'medium', tags: [], dueAt: null },
    { title: 'backup laptop', description: 'external disk', priority: 'medium', tags: ['home', 'tech'], dueAt: '2026-11-24T09:00:00Z', recurrence: { rule: 'weekly' } },
    { title: 'Read paper', description: 'distributed meetings protocol', priority: 'low', tags: ['talks'], dueAt: null },
  ];
  for (const f of fixtures) {
    const res = await t.app.inject({ method: 'POST', url: '/api/tasks', headers: ada.headers, payload: f });
    expect(res.statusCode, res.body).toBe(201);
    ids[f.title] = res.json<{ id: string }>().id;
  }
  await t.app.inject({ method: 'POST', url: `/api/tasks/${ids['Weekly meeting notes']}/complete`, headers: ada.headers });
  await t.app.inject({ method: 'POST', url: '/api/tasks', headers: bob.headers, payload: { title: 'Bob meeting', tags: ['work'] } });
});
afterAll(() => t.close());

describe('full-text search', () => {
  it('matches word prefixes and ranks title above description', async () => {
    const found = await titles('q=meet');
    expect(found[0]).toBe('Weekly meeting notes');
    expect(found.slice(1).sort()).toEqual(['Groceries', 'Prepare slides', 'Read paper']);
  });

  it('stems English words and supports websearch syntax', async () => {
    expect(await titles('q=decision')).toEqual(['Weekly meeting notes']);
    expect(await titles('q=%22external%20disk%22')).toEqual(['backup laptop']);
    expect(await titles('q=meeting%20-milk')).not.toContain('Groceries');
    expect((await titles('q=laptop%20or%20slides')).sort()).toEqual(['Prepare slides', 'backup laptop']);
  });

  it('is case-insensitive, ignores punctuation-only queries and never sees other users', async () => {
    expect(await titles('q=GROC')).toEqual(['Groceries']);
    expect((await titles('q=%26%7C!')).length).toBe(6);
    expect(await titles('q=bob')).toEqual([]);
    expect(await titles('q=meet', bob)).toEqual(['Bob meeting']);
  });

  it('combines with filters', async () => {
    expect(await titles('q=meet&status=open&priority=urgent,low&sort=title')).toEqual(['Groceries', 'Prepare slides', 'Read paper']);
  });
});

describe('filters', () => {
  it('filters by status, priority, due range, overdue, recurrence and reminders', async () => {
    expect(await titles('status=completed')).toEqual(['Weekly meeting notes']);
    expect((await titles('priority=low,urgent')).sort()).toEqual(['Groceries', 'Prepare slides', 'Read paper']);
    expect(await titles('dueAfter=2026-11-24T00:00:00Z&dueBefore=2026-11-27T00:00:00Z')).toEqual(['backup laptop', 'Prepare slides']);
    // Overdue: due before now and not completed (the completed meeting notes are not overdue).
    expect(await titles('overdue=true')).toEqual(['backup laptop']);
    expect(await titles('overdue=false')).not.toContain('backup laptop');
    expect(await titles('recurring=true')).toEqual(['backup laptop']);
    expect(await titles('hasReminders=true')).toEqual(['Prepare slides']);
    expect(await titles('hasReminders=false')).not.toContain('Prepare slides');
  });

  it('filters by tags with any or all', async () => {
    expect(await titles('tags=work,home&sort=title')).toEqual(['backup laptop', 'Groceries', 'Prepare slides', 'Weekly meeting notes']);
    expect(await titles('tags=WORK,talks&tagMode=all')).toEqual(['Prepare slides']);
    expect(await titles('tags=nosuchtag')).toEqual([]);
  });

  it('rejects bad filter values with the parameter named', async () => {
    for (const [query, path] of [
      ['priority=critical', 'query.priority'],
      ['status=done', 'query.status'],
      ['overdue=yes', 'query.overdue'],
      ['dueAfter=last-week', 'query.dueAfter'],
      ['sort=colour', 'query.sort'],
      ['order=up', 'query.order'],
      ['limit=201', 'query.limit'],
      ['limit=0', 'query.limit'],
      ['tagMode=some', 'query.tagMode'],
      ['frobnicate=1', 'query'],
    ]) {
      const res = await t.app.inject({ method: 'GET', url: `/api/tasks?${query}`, headers: ada.headers });
      expect(res.statusCode, query).toBe(400);
      const paths = res.json<{ errors: { path: string }[] }>().errors.map((e) => e.path);
      expect(paths.some((p) => p === path || p.startsWith(`${path}.`)), `${query}: ${paths.join()}`).toBe(true);
    }
  });
});

describe('sorting', () => {
  it('sorts by due date with undated tasks last in both directions', async () => {
    expect(await titles('sort=dueAt')).toEqual(['Weekly meeting notes', 'backup laptop', 'Prepare slides', 'Groceries', 'Call mom', 'Read paper'].slice(0, 4).concat(await undated('asc')));
    const desc = await titles('sort=dueAt&order=desc');
    expect(desc.slice(0, 4)).toEqual(['Groceries', 'Prepare slides', 'backup laptop', 'Weekly meeting notes']);
    expect(desc.slice(4).sort()).toEqual(['Call mom', 'Read paper']);
  });

  it('sorts by priority, title and creation time', async () => {
    expect(await titles('sort=priority&order=desc&limit=2')).toEqual(['Prepare slides', 'Weekly meeting notes']);
    expect((await titles('sort=priority&order=asc')).slice(0, 2).sort()).toEqual(['Groceries', 'Read paper']);
    expect(await titles('sort=title')).toEqual(['backup laptop', 'Call mom', 'Groceries', 'Prepare slides', 'Read paper', 'Weekly meeting notes']);
    expect(await titles('sort=createdAt&order=asc')).toEqual(Object.keys(ids));
  });
});

async function undated(order: 'asc' | 'desc'): Promise<string[]> {
  // Undated tasks tie on the sort key and fall back to id order (time-ordered ids).
  const both = ['Call mom', 'Read paper'];
  return order === 'asc' ? both : both.reverse();
}

describe('cursor pagination', () => {
  for (const sort of ['dueAt', 'priority', 'createdAt', 'updatedAt', 'title']) {
    for (const order of ['asc', 'desc']) {
      it(`pages through sort=${sort}&order=${order} without gaps or repeats`, async () => {
        const all = (await list(ada, `sort=${sort}&order=${order}&limit=200`)).items.map((i) => i.id);
        const paged: string[] = [];
        let cursor: string | null = null;
        for (let n = 0; n < 10; n++) {
          const page: Awaited<ReturnType<typeof list>> = await list(ada, `sort=${sort}&order=${order}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
          paged.push(...page.items.map((i) => i.id));
          cursor = page.nextCursor;
          if (!cursor) break;
        }
        expect(paged).toEqual(all);
        expect(all).toHaveLength(6);
      });
    }
  }

  it('pages through search results by rank', async () => {
    const all = await titles('q=meet');
    const first = await list(ada, 'q=meet&limit=3');
    const second = await list(ada, `q=meet&limit=3&cursor=${first.nextCursor}`);
    expect([...first.items, ...second.items].map((i) => i.title)).toEqual(all);
    expect(second.nextCursor).toBeNull();
  });

  const expectInvalidCursor = async (query: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/tasks?${query}`, headers: ada.headers });
    expect(res.statusCode, `${query}: ${res.body}`).toBe(400);
    expect(res.json()).toMatchObject({ code: 'invalid_cursor', errors: [{ path: 'cursor' }] });
  };

  it('rejects a forged cursor with 400 invalid_cursor', async () => {
    for (const cursor of ['garbage', Buffer.from('["x","y"]').toString('base64url'), Buffer.from('[null,"01a214cc-dbe9-7ab6-a79a-56c798660aa1"]').toString('base64url')]) {
      await expectInvalidCursor(`sort=title&cursor=${cursor}`);
    }
  });

  it('rejects a cursor from another sort or order with 400 invalid_cursor', async () => {
    const byTitle = (await list(ada, 'sort=title&limit=1')).nextCursor!;
    for (const query of ['sort=dueAt', 'sort=createdAt', 'sort=priority', 'sort=title&order=desc', 'q=meet']) {
      await expectInvalidCursor(`${query}&cursor=${byTitle}`);
    }
    const byDue = (await list(ada, 'sort=dueAt&limit=1')).nextCursor!;
    await expectInvalidCursor(`sort=title&cursor=${byDue}`);
    expect((await list(ada, `sort=title&limit=1&cursor=${byTitle}`)).items.map((i) => i.title)).toEqual(['Call mom']);
  });

  it('rejects a cursor whose position is not a value of its sort with 400 invalid_cursor, not a 500', async () => {
    const tampered = (cursor: string, replace: (v: unknown) => unknown) =>
      Buffer.from(JSON.stringify((JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[]).map(replace))).toString('base64url');
    const byDue = (await list(ada, 'sort=dueAt&limit=1')).nextCursor!;
    const isDate = (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v);
    await expectInvalidCursor(`sort=dueAt&cursor=${tampered(byDue, (v) => (isDate(v) ? 'next tuesday' : v))}`);
    const byPriority = (await list(ada, 'sort=priority&limit=1')).nextCursor!;
    await expectInvalidCursor(`sort=priority&cursor=${tampered(byPriority, (v) => (v === 'urgent' ? 'critical' : v))}`);
  });

  it('pages by title past a 500-character title', async () => {
    const carol = await t.signUp();
    for (const title of ['a'.repeat(500), 'É'.repeat(500), 'b']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/tasks', headers: carol.headers, payload: { title } });
      expect(res.statusCode, res.body).toBe(201);
    }
    const first = await list(carol, 'sort=title&limit=1');
    const second = await list(carol, `sort=title&limit=1&cursor=${first.nextCursor}`);
    expect(second.items.map((i) => i.title)).toEqual(['b']);
    const third = await list(carol, `sort=title&limit=1&cursor=${second.nextCursor}`);
    expect(third.items.map((i) => i.title)).toEqual(['É'.repeat(500)]);
  });
});
