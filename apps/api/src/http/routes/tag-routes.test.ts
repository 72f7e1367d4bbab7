import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../testing/test-app.js';

interface TagBody {
  id: string;
  name: string;
  color: string;
  taskCount: number;
  openTaskCount: number;
  createdAt: string;
  updatedAt: string;
}
interface TaskBody {
  id: string;
  tags: string[];
  status: string;
}
interface ProblemBody {
  status: number;
  code: string;
  detail: string;
  errors?: { path: string; message: string }[];
}

let t: TestApp;
let ada: TestUser;
let bob: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  ada = await t.signUp();
  bob = await t.signUp();
});
afterAll(() => t.close());

const inject = (user: TestUser, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: user.headers, ...(payload !== undefined && { payload: payload as object }) });

function problemOf(res: LightMyRequestResponse, status: number): ProblemBody {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return res.json<ProblemBody>();
}
const paths = (p: ProblemBody) => (p.errors ?? []).map((e) => e.path);

async function createTag(user: TestUser, body: Record<string, unknown>): Promise<TagBody> {
  const res = await inject(user, 'POST', '/api/tags', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<TagBody>();
}
async function createTask(user: TestUser, body: Record<string, unknown>): Promise<TaskBody> {
  const res = await inject(user, 'POST', '/api/tasks', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<TaskBody>();
}
async function getTask(user: TestUser, id: string): Promise<TaskBody> {
  const res = await inject(user, 'GET', `/api/tasks/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<TaskBody>();
}
async function listTags(user: TestUser): Promise<TagBody[]> {
  const res = await inject(user, 'GET', '/api/tags');
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json<{ items: TagBody[]; nextCursor: null }>();
  expect(body.nextCursor).toBeNull();
  return body.items;
}
const byName = async (user: TestUser, name: string) => (await listTags(user)).find((g) => g.name === name);

describe('create', () => {
  it('creates a tag, normalising the colour to lowercase', async () => {
    const tag = await createTag(ada, { name: 'Errands', color: '#AABBCC' });
    expect(tag).toMatchObject({ name: 'Errands', color: '#aabbcc', taskCount: 0, openTaskCount: 0 });
    expect(tag.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await byName(ada, 'Errands')).toEqual(tag);
  });

  it('gives a default colour and trims the name', async () => {
    const tag = await createTag(ada, { name: '  garden  ' });
    expect(tag.name).toBe('garden');
    expect(tag.color).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('answers 409 tag_exists for a name that differs only in case', async () => {
    await createTag(ada, { name: 'Reading' });
    for (const name of ['reading', 'READING', ' Reading ']) {
      const p = problemOf(await inject(ada, 'POST', '/api/tags', { name }), 409);
      expect(p.code).toBe('tag_exists');
      expect(paths(p)).toEqual(['name']);
    }
    expect((await listTags(ada)).filter((g) => g.name.toLowerCase() === 'reading')).toHaveLength(1);
  });

  it('lets two users have tags with the same name', async () => {
    await createTag(ada, { name: 'shared-name' });
    const theirs = await createTag(bob, { name: 'Shared-Name' });
    expect(theirs.name).toBe('Shared-Name');
  });

  it('rejects a bad colour with the color field named', async () => {
    for (const color of ['red', '#abc', '#GGGGGG', 'AABBCC', '#AABBCCDD', 123]) {
      const p = problemOf(await inject(ada, 'POST', '/api/tags', { name: `bad-${String(color)}`, color }), 400);
      expect(p.code).toBe('validation_failed');
      expect(paths(p).some((path) => path.includes('color')), JSON.stringify(p.errors)).toBe(true);
    }
    expect((await listTags(ada)).some((g) => g.name.startsWith('bad-'))).toBe(false);
  });

  it('rejects bad names and unknown fields', async () => {
    for (const [body, path] of [
      [{ name: '' }, 'body.name'],
      [{ name: '   ' }, 'body.name'],
      [{ name: 'a,b' }, 'body.name'],
      [{ name: 'x'.repeat(41) }, 'body.name'],
      [{ color: '#000000' }, 'body.name'],
    ] as const) {
      const p = problemOf(await inject(ada, 'POST', '/api/tags', body), 400);
      expect(paths(p), JSON.stringify(body)).toContain(path);
    }
    const extra = problemOf(await inject(ada, 'POST', '/api/tags', { name: 'ok', taskCount: 5 }), 400);
    expect(extra.code).toBe('validation_failed');
  });
});

describe('list', () => {
  it('counts tasks and open tasks per tag', async () => {
    const empty = await createTag(ada, { name: 'unused' });
    const a = await createTask(ada, { title: 'a', tags: ['work'] });
    await createTask(ada, { title: 'b', tags: ['work', 'Urgent'] });
    await createTask(ada, { title: 'c', tags: ['Urgent'] });
    await createTask(ada, { title: 'untagged' });
    const done = await inject(ada, 'POST', `/api/tasks/${a.id}/complete`);
    expect(done.statusCode, done.body).toBe(200);

    const tags = await listTags(ada);
    expect(tags.find((g) => g.name === 'work')).toMatchObject({ taskCount: 2, openTaskCount: 1 });
    expect(tags.find((g) => g.name === 'Urgent')).toMatchObject({ taskCount: 2, openTaskCount: 2 });
    expect(tags.find((g) => g.id === empty.id)).toMatchObject({ name: 'unused', taskCount: 0, openTaskCount: 0 });
  });

  it('sorts by name case-insensitively', async () => {
    const names = (await listTags(ada)).map((g) => g.name);
    expect(names).toEqual([...names].sort((x, y) => x.toLowerCase().localeCompare(y.toLowerCase())));
  });

  it('requires authentication', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/tags' });
    expect(problemOf(res, 401).code).toBe('unauthenticated');
  });
});

describe('update', () => {
  it('renames a tag and its tasks follow the new name', async () => {
    const task = await createTask(ada, { title: 'Plan trip', tags: ['travel', 'family'] });
    const tag = await byName(ada, 'travel');
    expect(tag).toBeDefined();
    const res = await inject(ada, 'PATCH', `/api/tags/${tag!.id}`, { name: 'Holidays' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<TagBody>()).toMatchObject({ id: tag!.id, name: 'Holidays', color: tag!.color, taskCount: 1, openTaskCount: 1 });

    expect((await getTask(ada, task.id)).tags.sort()).toEqual(['Holidays', 'family']);
    const filtered = await inject(ada, 'GET', '/api/tasks?tags=holidays');
    expect(filtered.json<{ items: TaskBody[] }>().items.map((i) => i.id)).toEqual([task.id]);
    expect(await byName(ada, 'travel')).toBeUndefined();
  });

  it('changes only the case of its own name', async () => {
    const tag = await createTag(ada, { name: 'music' });
    const res = await inject(ada, 'PATCH', `/api/tags/${tag.id}`, { name: 'Music' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<TagBody>().name).toBe('Music');
  });

  it('recolours a tag and keeps the name', async () => {
    const tag = await createTag(ada, { name: 'paint', color: '#000000' });
    const res = await inject(ada, 'PATCH', `/api/tags/${tag.id}`, { color: '#12AB9F' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<TagBody>()).toMatchObject({ id: tag.id, name: 'paint', color: '#12ab9f' });
    expect((await byName(ada, 'paint'))?.color).toBe('#12ab9f');
  });

  it('refuses to rename onto another tag\'s name', async () => {
    const tag = await createTag(ada, { name: 'alpha' });
    await createTag(ada, { name: 'beta' });
    const p = problemOf(await inject(ada, 'PATCH', `/api/tags/${tag.id}`, { name: 'BETA' }), 409);
    expect(p.code).toBe('tag_exists');
    expect((await byName(ada, 'alpha'))?.id).toBe(tag.id);
  });

  it('rejects an empty patch, a bad colour and unknown fields', async () => {
    const tag = await createTag(ada, { name: 'patchy' });
    expect(problemOf(await inject(ada, 'PATCH', `/api/tags/${tag.id}`, {}), 400).code).toBe('validation_failed');
    const colour = problemOf(await inject(ada, 'PATCH', `/api/tags/${tag.id}`, { color: 'blue' }), 400);
    expect(paths(colour).some((path) => path.includes('color'))).toBe(true);
    expect(problemOf(await inject(ada, 'PATCH', `/api/tags/${tag.id}`, { name: 'x', id: 'y' }), 400).code).toBe('validation_failed');
    expect(await byName(ada, 'patchy')).toMatchObject({ id: tag.id, color: tag.color });
  });
});

describe('delete', () => {
  it('answers 204 and the tasks stay without the tag', async () => {
    const one = await createTask(ada, { title: 'one', tags: ['doomed', 'keeper'] });
    const two = await createTask(ada, { title: 'two', tags: ['doomed'] });
    const tag = await byName(ada, 'doomed');
    expect(tag).toMatchObject({ taskCount: 2 });

    const res = await inject(ada, 'DELETE', `/api/tags/${tag!.id}`);
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');

    expect((await getTask(ada, one.id)).tags).toEqual(['keeper']);
    expect((await getTask(ada, two.id)).tags).toEqual([]);
    expect(await byName(ada, 'doomed')).toBeUndefined();
    expect(await byName(ada, 'keeper')).toMatchObject({ taskCount: 1 });

    const again = problemOf(await inject(ada, 'DELETE', `/api/tags/${tag!.id}`), 404);
    expect(again.code).toBe('tag_not_found');
  });
});

describe('isolation and ids', () => {
  it('answers 404 for another user\'s tag and changes nothing', async () => {
    const secret = await createTag(ada, { name: 'secret-project', color: '#111111' });
    await createTask(ada, { title: 'hidden', tags: ['secret-project'] });

    const rename = problemOf(await inject(bob, 'PATCH', `/api/tags/${secret.id}`, { name: 'pwned' }), 404);
    expect(rename.code).toBe('tag_not_found');
    const recolour = problemOf(await inject(bob, 'PATCH', `/api/tags/${secret.id}`, { color: '#ffffff' }), 404);
    expect(recolour.code).toBe('tag_not_found');
    const remove = problemOf(await inject(bob, 'DELETE', `/api/tags/${secret.id}`), 404);
    expect(remove.code).toBe('tag_not_found');

    const bobs = await listTags(bob);
    expect(bobs.map((g) => g.id)).not.toContain(secret.id);
    expect(bobs.map((g) => g.name)).not.toContain('secret-project');
    expect(await byName(ada, 'secret-project')).toMatchObject({ id: secret.id, color: '#111111', taskCount: 1 });
  });

  it('treats malformed and unknown ids as not found', async () => {
    for (const id of ['nope', '00000000-0000-0000-0000-000000000000', "1' or '1'='1", '123']) {
      const url = `/api/tags/${encodeURIComponent(id)}`;
      expect(problemOf(await inject(ada, 'PATCH', url, { color: '#000000' }), 404).code).toBe('tag_not_found');
      expect(problemOf(await inject(ada, 'DELETE', url), 404).code).toBe('tag_not_found');
    }
  });

  it('answers overlong and badly encoded ids with problem+json too', async () => {
    // Both are rejected by the router before any handler runs; the answer must still be a problem.
    for (const url of [`/api/tags/${'a'.repeat(101)}`, '/api/tags/%E0%A4%A']) {
      for (const res of [await inject(ada, 'PATCH', url, { color: '#000000' }), await inject(ada, 'DELETE', url)]) {
        expect([400, 404, 414], url).toContain(res.statusCode);
        expect(res.headers['content-type'], `${url} ${res.body}`).toMatch(/^application\/problem\+json/);
        const body = res.json<ProblemBody>();
        expect(body.status).toBe(res.statusCode);
        expect(body.code).toMatch(/^[a-z0-9_]+$/);
        expect(res.headers['x-request-id']).toEqual(expect.any(String));
      }
    }
  });
});
