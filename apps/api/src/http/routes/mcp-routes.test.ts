import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../testing/test-app.js';

// MCP over Streamable HTTP, driven by the official MCP client against the real app on a loopback port.
const NOW = new Date('2026-03-06T15:00:00Z');
let t: TestApp;
let url: string;
let ada: TestUser;
let bob: TestUser;
let adaClient: Client;
let bobClient: Client;

async function connect(headers: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'taskstream-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers } }));
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<any> {
  return client.callTool({ name, arguments: args });
}

beforeAll(async () => {
  t = await createTestApp({ events: true, now: () => NOW });
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  ada = await t.signUp({ timeZone: 'Europe/Berlin' });
  bob = await t.signUp({ timeZone: 'America/New_York' });
  adaClient = await connect(ada.headers);
  bobClient = await connect(bob.headers);
});
afterAll(async () => {
  await adaClient?.close();
  await bobClient?.close();
  await t?.close();
});

describe('MCP server at /mcp (official client, Streamable HTTP)', () => {
  it('lists the ten task tools, each with an input and an output schema', async () => {
    const { tools } = await adaClient.listTools();
    expect(tools.map((x) => x.name).sort()).toEqual([
      'add_task', 'complete_task', 'delete_task', 'get_task_history', 'list_tags', 'list_tasks', 'reopen_task', 'set_recurrence', 'set_reminder', 'update_task',
    ]);
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
      expect(tool.description).toBeTruthy();
    }
    const listTasks = tools.find((x) => x.name === 'list_tasks')!;
    expect(Object.keys(listTasks.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['status', 'priority', 'tag', 'dueAfter', 'dueBefore', 'search', 'sort']),
    );
  });

  it('calls every tool; results are structured and match the REST API', async () => {
    const added = await call(adaClient, 'add_task', { title: 'Pay rent', dueAt: '2026-04-01T09:00', priority: 'high', tags: ['home'] });
    expect(added.isError).toBeFalsy();
    const task = added.structuredContent.task;
    expect(task).toMatchObject({ title: 'Pay rent', dueAt: '2026-04-01T07:00:00.000Z', priority: 'high', tags: ['home'], status: 'open' });
    expect(added.content[0].text).toContain('Added "Pay rent"');
    await call(adaClient, 'add_task', { title: 'Buy milk', dueAt: '2026-03-06T18:00:00Z' });

    const rest = (await t.app.inject({ method: 'GET', url: `/api/tasks/${task.id}`, headers: ada.headers })).json();
    expect(rest).toEqual(task);

    const listed = await call(adaClient, 'list_tasks', { status: ['open'], priority: ['high'], tag: 'home', dueAfter: '2026-03-31T00:00:00Z', dueBefore: '2026-04-02T00:00:00Z', sort: 'dueAt' });
    expect(listed.structuredContent.items.map((x: any) => x.title)).toEqual(['Pay rent']);
    const searched = await call(adaClient, 'list_tasks', { search: 'milk' });
    expect(searched.structuredContent.items.map((x: any) => x.title)).toEqual(['Buy milk']);

    const updated = await call(adaClient, 'update_task', { id: task.id, title: 'Pay the rent', dueAt: '2026-04-01T10:00' });
    expect(updated.structuredContent.task).toMatchObject({ title: 'Pay the rent', dueAt: '2026-04-01T08:00:00.000Z' });

    const reminded = await call(adaClient, 'set_reminder', { id: task.id, reminders: [{ offsetMinutes: 30 }] });
    expect(reminded.structuredContent.task.reminders).toMatchObject([{ offsetMinutes: 30, firesAt: '2026-04-01T07:30:00.000Z' }]);
    const added2 = await call(adaClient, 'set_reminder', { id: task.id, reminders: [{ remindAt: '2026-03-31T18:00:00Z' }] });
    expect(added2.structuredContent.task.reminders).toHaveLength(2);

    const recurring = await call(adaClient, 'set_recurrence', { id: task.id, recurrence: { rule: 'FREQ=MONTHLY;BYMONTHDAY=1' } });
    expect(recurring.structuredContent.task.recurrence).toMatchObject({ rule: 'FREQ=MONTHLY;BYMONTHDAY=1', repeatFrom: 'due' });
    const stopped = await call(adaClient, 'set_recurrence', { id: task.id, recurrence: null });
    expect(stopped.structuredContent.task.recurrence).toBeNull();

    const completed = await call(adaClient, 'complete_task', { id: task.id });
    expect(completed.structuredContent.task.status).toBe('completed');
    const reopened = await call(adaClient, 'reopen_task', { id: task.id });
    expect(reopened.structuredContent.task.status).toBe('open');

    const tags = await call(adaClient, 'list_tags', {});
    expect(tags.structuredContent.items).toMatchObject([{ name: 'home', taskCount: 1, openTaskCount: 1 }]);

    // The same commands as REST ran, so the same events reached the audit trail.
    await expect.poll(async () => (await call(adaClient, 'get_task_history', { id: task.id })).structuredContent?.items.length ?? 0, { timeout: 10_000 }).toBe(8);
    const history = await call(adaClient, 'get_task_history', { id: task.id });
    expect(history.structuredContent.items.map((e: any) => e.action)).toEqual(['created', 'updated', 'updated', 'updated', 'updated', 'updated', 'completed', 'reopened']);

    const deleted = await call(adaClient, 'delete_task', { id: task.id });
    expect(deleted.structuredContent).toEqual({ deleted: { id: task.id, title: 'Pay the rent' } });
    expect((await t.app.inject({ method: 'GET', url: `/api/tasks/${task.id}`, headers: ada.headers })).statusCode).toBe(404);
  });

  it('answers bad arguments with tool errors that say what is wrong', async () => {
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['add_task', {}, /title/],
      ['add_task', { title: 'x', priority: 'huge' }, /priority/],
      ['add_task', { title: 'x', surprise: 1 }, /surprise|unrecognized/i],
      ['add_task', { title: 'x', dueAt: 'next tuesday' }, /dueAt/],
      ['add_task', { title: 'x', recurrence: { rule: 'FREQ=WEEKLY' } }, /due/i],
      ['list_tasks', { limit: 0 }, /limit/],
      ['list_tasks', { status: ['sleeping'] }, /status/],
      ['complete_task', { id: 'not-an-id' }, /id/],
      ['complete_task', { id: '00000000-0000-4000-8000-000000000000' }, /task_not_found/],
      ['update_task', { id: '00000000-0000-4000-8000-000000000000' }, /at least one field/],
      ['set_recurrence', { id: '00000000-0000-4000-8000-000000000000', recurrence: { rule: 'every blue moon' } }, /rule|not a preset|task_not_found/],
      ['get_task_history', { id: '00000000-0000-4000-8000-000000000000' }, /task_not_found/],
    ];
    for (const [name, args, message] of cases) {
      const result = await call(adaClient, name, args);
      expect(result.isError, `${name} ${JSON.stringify(args)}`).toBe(true);
      expect(result.content[0].text).toMatch(message);
    }
  });

  it('keeps two users apart: each token sees and changes only its own tasks', async () => {
    const secret = (await call(adaClient, 'add_task', { title: 'Ada secret plan' })).structuredContent.task;
    const bobs = (await call(bobClient, 'add_task', { title: 'Bob groceries' })).structuredContent.task;
    expect(bobs.timeZone).toBe('America/New_York');

    const bobList = await call(bobClient, 'list_tasks', {});
    expect(bobList.structuredContent.items.map((x: any) => x.title)).toEqual(['Bob groceries']);
    expect((await call(bobClient, 'list_tasks', { search: 'secret' })).structuredContent.items).toEqual([]);
    for (const name of ['complete_task', 'reopen_task', 'delete_task', 'get_task_history']) {
      const r = await call(bobClient, name, { id: secret.id });
      expect(r.isError, name).toBe(true);
      expect(r.content[0].text).toMatch(/task_not_found/);
    }
    expect((await call(bobClient, 'update_task', { id: secret.id, title: 'mine now' })).isError).toBe(true);
    expect((await call(bobClient, 'set_reminder', { id: secret.id, reminders: [] })).isError).toBe(true);
    expect((await call(bobClient, 'list_tags', {})).structuredContent.items).toEqual([]);

    const still = (await t.app.inject({ method: 'GET', url: `/api/tasks/${secret.id}`, headers: ada.headers })).json();
    expect(still).toMatchObject({ title: 'Ada secret plan', status: 'open' });
    expect((await call(adaClient, 'list_tasks', { search: 'groceries' })).structuredContent.items).toEqual([]);
  });

  it('refuses requests without a valid bearer token, and GET (no server-held stream)', async () => {
    await expect(connect({})).rejects.toThrow(/401|unauthenticated/);
    await expect(connect({ authorization: 'Bearer not-a-token' })).rejects.toThrow(/401|unauthenticated/);
    const res = await fetch(`${url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const get = await fetch(`${url}/mcp`, { headers: { ...ada.headers, accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
  });
});
