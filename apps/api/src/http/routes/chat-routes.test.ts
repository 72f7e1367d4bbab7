import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '@taskstream/db';
import { createTestApp, type TestApp, type TestUser } from '../../testing/test-app.js';

const NOW = new Date('2026-03-06T15:00:00Z');
let t: TestApp;
let ada: TestUser;
let bob: TestUser;

beforeAll(async () => {
  t = await createTestApp({ now: () => NOW });
  ada = await t.signUp({ timeZone: 'Europe/Berlin' });
  bob = await t.signUp({ timeZone: 'Europe/Berlin' });
});
afterAll(() => t?.close());

const chat = (user: TestUser, payload: object) => t.app.inject({ method: 'POST', url: '/api/chat', headers: user.headers, payload });
const history = (user: TestUser, id: string) => t.app.inject({ method: 'GET', url: `/api/chat/${id}`, headers: user.headers });

describe('POST /api/chat and GET /api/chat/:conversationId', () => {
  it('starts a conversation, acts through the task commands and keeps the history in the database', async () => {
    const first = await chat(ada, { message: 'add pay rent every month on the 1st 9am #home !high' });
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body).toMatchObject({ conversationId: expect.any(String), reply: expect.stringContaining('Added "Pay rent"') });
    expect(body.toolCalls).toMatchObject([{ name: 'add_task', ok: true, summary: expect.stringContaining('Pay rent'), result: { task: { title: 'Pay rent' } } }]);
    expect(body.toolCalls[0]).not.toHaveProperty('undo');
    const taskId = body.toolCalls[0].result.task.id;

    // The same command as REST ran, so the outbox holds the same events as for a task added over REST.
    const viaRest = (await t.app.inject({ method: 'POST', url: '/api/tasks', headers: ada.headers, payload: { title: 'Via REST' } })).json();
    const events = await t.database.db.select().from(outbox);
    const typesOf = (id: string) => events.filter((e) => JSON.stringify(e.event).includes(id)).map((e) => e.type);
    expect(typesOf(taskId)).toContain('task.created');
    expect(typesOf(taskId)).toEqual(typesOf(viaRest.id));
    await t.app.inject({ method: 'DELETE', url: `/api/tasks/${viaRest.id}`, headers: ada.headers });

    const second = (await chat(ada, { conversationId: body.conversationId, message: 'complete it' })).json();
    expect(second).toMatchObject({ conversationId: body.conversationId, reply: 'Completed "Pay rent".' });

    const h = await history(ada, body.conversationId);
    expect(h.statusCode).toBe(200);
    expect(h.json().messages.map((m: any) => [m.role, m.content.split('\n')[0]])).toEqual([
      ['user', 'add pay rent every month on the 1st 9am #home !high'],
      ['assistant', body.reply.split('\n')[0]],
      ['user', 'complete it'],
      ['assistant', 'Completed "Pay rent".'],
    ]);
    expect(h.json().messages[3].toolCalls).toMatchObject([{ name: 'complete_task', arguments: { id: taskId } }]);
  });

  it('undo reverts the last action of that conversation only, and marks it undone', async () => {
    const a = (await chat(ada, { message: 'add water plants tomorrow' })).json();
    const other = (await chat(ada, { message: 'add feed cat tomorrow' })).json();
    const undone = (await chat(ada, { conversationId: a.conversationId, message: 'undo' })).json();
    expect(undone.reply).toMatch(/^Undid your last change/);
    expect(undone.toolCalls).toMatchObject([{ name: 'delete_task', ok: true }]);
    const titles = (await t.app.inject({ method: 'GET', url: '/api/tasks?limit=200', headers: ada.headers })).json().items.map((x: any) => x.title);
    expect(titles).toContain('Feed cat');
    expect(titles).not.toContain('Water plants');
    const messages = (await history(ada, a.conversationId)).json().messages;
    expect(messages.map((m: any) => m.undone)).toEqual([false, true, false, false]);
    expect((await chat(ada, { conversationId: a.conversationId, message: 'undo' })).json().reply).toMatch(/nothing to undo/);
    expect(other.conversationId).not.toBe(a.conversationId);
  });

  it('remembers a clarifying question between requests', async () => {
    await chat(ada, { message: 'add write report' });
    await chat(ada, { message: 'add report expenses' });
    const asked = (await chat(ada, { message: 'delete the report' })).json();
    expect(asked.toolCalls).toEqual([]);
    expect(asked.reply).toMatch(/which one should I delete/);
    const answered = (await chat(ada, { conversationId: asked.conversationId, message: 'report expenses' })).json();
    expect(answered.toolCalls).toMatchObject([{ name: 'delete_task', ok: true, result: { deleted: { title: 'Report expenses' } } }]);
  });

  it('answers plainly when the task offered in a question was deleted before the answer', async () => {
    await chat(ada, { message: 'add plan trip' });
    await chat(ada, { message: 'add plan party' });
    const asked = (await chat(ada, { message: 'complete plan' })).json();
    expect(asked.reply).toMatch(/which one should I complete/);
    const trip = (await t.app.inject({ method: 'GET', url: '/api/tasks?q=trip', headers: ada.headers })).json().items.find((x: any) => x.title === 'Plan trip');
    expect((await t.app.inject({ method: 'DELETE', url: `/api/tasks/${trip.id}`, headers: ada.headers })).statusCode).toBe(204);
    const answered = await chat(ada, { conversationId: asked.conversationId, message: 'plan trip' });
    expect(answered.statusCode).toBe(200);
    expect(answered.json()).toMatchObject({ reply: '"Plan trip" no longer exists, so I changed nothing.', toolCalls: [] });
  });

  it('undo of a change to a task deleted since says so plainly', async () => {
    const added = (await chat(ada, { message: 'add sort photos' })).json();
    const id = added.toolCalls[0].result.task.id;
    const renamed = (await chat(ada, { conversationId: added.conversationId, message: 'rename sort photos to sort old photos' })).json();
    expect(renamed.toolCalls).toMatchObject([{ name: 'update_task', ok: true }]);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/tasks/${id}`, headers: ada.headers })).statusCode).toBe(204);
    const undone = await chat(ada, { conversationId: added.conversationId, message: 'undo' });
    expect(undone.statusCode).toBe(200);
    expect(undone.json()).toMatchObject({ reply: expect.stringMatching(/^I couldn't undo your last change \(.*\): "Sort photos" no longer exists\.$/), toolCalls: [] });
  });

  it('keeps conversations private: another user\'s id is a 404, as is an unknown one', async () => {
    const mine = (await chat(ada, { message: 'list my tasks' })).json();
    const peek = await history(bob, mine.conversationId);
    expect(peek.statusCode).toBe(404);
    expect(peek.json()).toMatchObject({ code: 'conversation_not_found' });
    const post = await chat(bob, { conversationId: mine.conversationId, message: 'delete pay rent' });
    expect(post.statusCode).toBe(404);
    expect((await history(ada, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await history(ada, 'nope')).statusCode).toBe(404);
    // Bob's chat sees none of Ada's tasks.
    const bobs = (await chat(bob, { message: 'complete pay rent' })).json();
    expect(bobs).toMatchObject({ toolCalls: [], reply: expect.stringMatching(/couldn't find/) });
  });

  it('validates the request and needs a signed-in user', async () => {
    expect((await chat(ada, { message: '' })).statusCode).toBe(400);
    expect((await chat(ada, { message: 'x'.repeat(4001) })).statusCode).toBe(400);
    expect((await chat(ada, { conversationId: 'nope', message: 'hi' })).json()).toMatchObject({ status: 400, code: 'validation_failed' });
    expect((await t.app.inject({ method: 'POST', url: '/api/chat', payload: { message: 'hi' } })).statusCode).toBe(401);
  });
});
