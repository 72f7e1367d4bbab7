import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../context.js';
import { TaskError } from '../errors.js';
import { getTask } from '../queries/get-task.js';
import { listTags } from '../queries/list-tags.js';
import { CreateTagInput, CreateTaskInput, UpdateTagInput } from '../task-schemas.js';
import { createTasksFixture, type TasksFixture } from '../testing/tasks-fixture.js';
import { createTask } from './create-task.js';
import { completeTask } from './set-task-status.js';
import { createTag, deleteTag, updateTag } from './tag-commands.js';

let f: TasksFixture;
beforeAll(async () => {
  f = await createTasksFixture();
});
afterAll(() => f.close());

const task = (actor: Actor, body: unknown) => createTask(f.ctx, actor, CreateTaskInput.parse(body));
const tag = (actor: Actor, body: unknown) => createTag(f.ctx, actor, CreateTagInput.parse(body));
const patch = (actor: Actor, id: string, body: unknown) => updateTag(f.ctx, actor, id, UpdateTagInput.parse(body));
const names = async (actor: Actor) => (await listTags(f.ctx, actor)).items.map((t) => [t.name, t.color]);

async function failure(p: Promise<unknown>): Promise<TaskError> {
  const e: unknown = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof TaskError)) throw new Error(`expected a TaskError, got ${String(e)}`);
  return e;
}

describe('createTag', () => {
  it('creates a tag with a lowercased colour, or the default grey', async () => {
    const ada = await f.newUser();
    expect(await tag(ada, { name: ' Work ', color: '#1A2B3C' })).toMatchObject({ name: 'Work', color: '#1a2b3c', taskCount: 0, openTaskCount: 0 });
    expect(await tag(ada, { name: 'home' })).toMatchObject({ color: '#6b7280' });
  });

  it('answers tag_exists (conflict, at name) for a name that differs only in case', async () => {
    const ada = await f.newUser();
    await tag(ada, { name: 'Work' });
    const e = await failure(tag(ada, { name: 'work' }));
    expect([e.kind, e.code, e.errors.map((x) => x.path)]).toEqual(['conflict', 'tag_exists', ['name']]);
    expect(await names(ada)).toEqual([['Work', '#6b7280']]);
  });

  it('lets two users have tags with the same name', async () => {
    const ada = await f.newUser();
    const bob = await f.newUser();
    await tag(ada, { name: 'work' });
    await tag(bob, { name: 'work', color: '#ff0000' });
    expect(await names(ada)).toEqual([['work', '#6b7280']]);
    expect(await names(bob)).toEqual([['work', '#ff0000']]);
  });
});

describe('updateTag', () => {
  it('renames a tag and its tasks follow the new name', async () => {
    const ada = await f.newUser();
    const t = await task(ada, { title: 'T', tags: ['wrok'] });
    const [typo] = (await listTags(f.ctx, ada)).items;
    expect(await patch(ada, typo!.id, { name: 'work' })).toMatchObject({ id: typo!.id, name: 'work', taskCount: 1 });
    expect((await getTask(f.ctx, ada, t.id)).tags).toEqual(['work']);
  });

  it('changes only the case of its own name, and recolours keeping the name', async () => {
    const ada = await f.newUser();
    const work = await tag(ada, { name: 'work' });
    expect((await patch(ada, work.id, { name: 'Work' })).name).toBe('Work');
    expect(await patch(ada, work.id, { color: '#ABCDEF' })).toMatchObject({ name: 'Work', color: '#abcdef' });
  });

  it('refuses to rename onto another of the user\'s tags', async () => {
    const ada = await f.newUser();
    await tag(ada, { name: 'work' });
    const home = await tag(ada, { name: 'home' });
    const e = await failure(patch(ada, home.id, { name: 'WORK' }));
    expect([e.kind, e.code]).toEqual(['conflict', 'tag_exists']);
    expect((await names(ada)).map(([n]) => n)).toEqual(['home', 'work']);
  });

  it('answers tag_not_found for another user\'s tag and a malformed id, and changes nothing', async () => {
    const ada = await f.newUser();
    const bob = await f.newUser();
    const work = await tag(ada, { name: 'work' });
    for (const id of [work.id, 'not-a-uuid']) {
      const e = await failure(patch(bob, id, { name: 'mine' }));
      expect([e.kind, e.code]).toEqual(['not_found', 'tag_not_found']);
    }
    expect(await names(ada)).toEqual([['work', '#6b7280']]);
  });

  it('refuses an empty patch and a bad colour in the schema', () => {
    expect(UpdateTagInput.safeParse({}).success).toBe(false);
    const bad = UpdateTagInput.safeParse({ color: 'red' });
    expect(bad.success ? [] : bad.error.issues.map((i) => i.path.join('.'))).toEqual(['color']);
  });
});

describe('deleteTag', () => {
  it('removes the tag; its tasks stay without it', async () => {
    const ada = await f.newUser();
    const t = await task(ada, { title: 'T', tags: ['old', 'keep'] });
    const old = (await listTags(f.ctx, ada)).items.find((x) => x.name === 'old')!;
    await deleteTag(f.ctx, ada, old.id);
    expect((await getTask(f.ctx, ada, t.id)).tags).toEqual(['keep']);
    expect((await names(ada)).map(([n]) => n)).toEqual(['keep']);
    const e = await failure(deleteTag(f.ctx, ada, old.id));
    expect(e.code).toBe('tag_not_found');
  });

  it('answers tag_not_found for another user\'s tag and keeps it', async () => {
    const ada = await f.newUser();
    const bob = await f.newUser();
    const work = await tag(ada, { name: 'work' });
    expect((await failure(deleteTag(f.ctx, bob, work.id))).code).toBe('tag_not_found');
    expect((await failure(deleteTag(f.ctx, bob, '42'))).code).toBe('tag_not_found');
    expect(await names(ada)).toEqual([['work', '#6b7280']]);
  });
});

describe('listTags', () => {
  it('counts tasks and open tasks per tag, sorted by name whatever the case, and shows only the user\'s own', async () => {
    const ada = await f.newUser();
    const bob = await f.newUser();
    await task(ada, { title: 'a', tags: ['beta', 'Alpha'] });
    const done = await task(ada, { title: 'b', tags: ['beta'] });
    await completeTask(f.ctx, ada, done.id);
    await tag(ada, { name: 'charlie' });
    await task(bob, { title: 'c', tags: ['beta', 'bobs'] });
    const items = (await listTags(f.ctx, ada)).items;
    expect(items.map((t) => [t.name, t.taskCount, t.openTaskCount])).toEqual([
      ['Alpha', 1, 1],
      ['beta', 2, 1],
      ['charlie', 0, 0],
    ]);
  });
});
