import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../testing/test-app.js';

/*
 * The LLM path of POST /api/chat against a local replaying OpenAI-compatible server
 * (a fake of a third-party service): it records each chat-completions request and
 * answers with the next recorded response, as a model with tool calling would.
 */

type Recorded = { status?: number; body: unknown };
const requests: Array<{ path: string; authorization: string | undefined; body: any }> = [];
let replies: Recorded[] = [];
let server: Server;
let t: TestApp;
let ada: TestUser;

function completion(message: Record<string, unknown>, finish: 'stop' | 'tool_calls'): Recorded {
  return {
    body: {
      id: `chatcmpl-${requests.length}`,
      object: 'chat.completion',
      created: 1_772_809_200,
      model: 'replay-model',
      choices: [{ index: 0, finish_reason: finish, logprobs: null, message: { role: 'assistant', content: null, refusal: null, ...message } }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    },
  };
}
const toolCall = (id: string, name: string, args: unknown) => completion({ tool_calls: [{ id, type: 'function', function: { name, arguments: JSON.stringify(args) } }] }, 'tool_calls');
const answer = (content: string) => completion({ content }, 'stop');

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void readBody(req).then((text) => {
      requests.push({ path: req.url ?? '', authorization: req.headers.authorization, body: JSON.parse(text || '{}') });
      const next = replies.shift() ?? { status: 500, body: { error: { message: 'no recorded response left' } } };
      res.writeHead(next.status ?? 200, { 'content-type': 'application/json' }).end(JSON.stringify(next.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  t = await createTestApp({ now: () => new Date('2026-03-06T15:00:00Z'), llm: { baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: 'test-key', model: 'replay-model' } });
  ada = await t.signUp({ timeZone: 'Europe/Berlin' });
});
afterAll(async () => {
  await t?.close();
  await new Promise((resolve) => server?.close(resolve));
});
beforeEach(() => {
  requests.length = 0;
  replies = [];
});

const chat = (payload: object) => t.app.inject({ method: 'POST', url: '/api/chat', headers: ada.headers, payload });

describe('chat with an LLM, against a local replaying OpenAI-compatible server (fake of a third-party service)', () => {
  it('gives the model the tools and the conversation, runs its tool calls for the user and returns its answer', async () => {
    replies = [
      toolCall('call_1', 'add_task', { title: 'Pay rent', dueAt: '2026-04-01T09:00', priority: 'high', tags: ['home'], recurrence: { rule: 'FREQ=MONTHLY;BYMONTHDAY=1' } }),
      answer('I added "Pay rent" for April 1 at 09:00, repeating monthly.'),
    ];
    const res = await chat({ message: 'Pay rent every month on the 1st at 9, high priority, home' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.reply).toBe('I added "Pay rent" for April 1 at 09:00, repeating monthly.');
    expect(body.toolCalls).toMatchObject([{ name: 'add_task', ok: true, result: { task: { title: 'Pay rent', dueAt: '2026-04-01T07:00:00.000Z', recurrence: { rule: 'FREQ=MONTHLY;BYMONTHDAY=1' } } } }]);

    expect(requests).toHaveLength(2);
    const [first, second] = requests;
    expect(first!.path).toBe('/v1/chat/completions');
    expect(first!.authorization).toBe('Bearer test-key');
    expect(first!.body.model).toBe('replay-model');
    expect(first!.body.tools.map((x: any) => x.function.name)).toHaveLength(10);
    expect(first!.body.tools.find((x: any) => x.function.name === 'add_task').function.parameters).toMatchObject({ type: 'object', required: ['title'] });
    expect(first!.body.messages[0]).toMatchObject({ role: 'system', content: expect.stringContaining('Europe/Berlin') });
    expect(first!.body.messages.at(-1)).toEqual({ role: 'user', content: 'Pay rent every month on the 1st at 9, high priority, home' });
    const toolMessage = second!.body.messages.at(-1);
    expect(toolMessage).toMatchObject({ role: 'tool', tool_call_id: 'call_1' });
    expect(JSON.parse(toolMessage.content).task.title).toBe('Pay rent');

    // The next turn carries the conversation; a bad tool call comes back to the model as an error.
    requests.length = 0;
    replies = [toolCall('call_2', 'complete_task', { id: 'not-a-task' }), answer('I could not find that task.')];
    const next = (await chat({ conversationId: body.conversationId, message: 'complete the gym task' })).json();
    expect(next.toolCalls).toMatchObject([{ name: 'complete_task', ok: false, error: { code: 'invalid_arguments' } }]);
    expect(requests[0]!.body.messages.slice(1).map((m: any) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(JSON.parse(requests[1]!.body.messages.at(-1).content).error.code).toBe('invalid_arguments');

    // "undo" reverts the model's last change without asking the model.
    const calls = requests.length;
    const undone = (await chat({ conversationId: body.conversationId, message: 'undo' })).json();
    expect(undone.toolCalls).toMatchObject([{ name: 'delete_task', ok: true }]);
    expect(requests).toHaveLength(calls);
    expect((await t.app.inject({ method: 'GET', url: '/api/tasks', headers: ada.headers })).json().items).toEqual([]);
  });

  it('answers 502 with a problem when the model endpoint fails', async () => {
    replies = [{ status: 500, body: { error: { message: 'boom' } } }, { status: 500, body: { error: { message: 'boom' } } }];
    const res = await chat({ message: 'list my tasks' });
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({ code: 'llm_failed', detail: expect.stringContaining('language model') });
  });

  it('sends the model the last 20 messages and tool results cut to size, and undo still reaches an older change', async () => {
    replies = [toolCall('call_early', 'add_task', { title: 'Early task' }), answer('Added "Early task".')];
    const { conversationId } = (await chat({ message: 'add early task' })).json();
    for (let i = 0; i < 12; i++) {
      await t.app.inject({ method: 'POST', url: '/api/tasks', headers: ada.headers, payload: { title: `Long ${i} ${'x'.repeat(480)}` } });
    }

    requests.length = 0;
    replies = [toolCall('call_list', 'list_tasks', { limit: 50 }), answer(`Here they are: ${'y'.repeat(5000)}`)];
    const listed = (await chat({ conversationId, message: 'list everything' })).json();
    // The client still gets the whole result; the model gets it cut, told how much is missing.
    expect(listed.toolCalls[0].result.items).toHaveLength(13);
    const toolMessage = requests[1]!.body.messages.at(-1);
    expect(toolMessage.content.length).toBeLessThan(8_100);
    expect(toolMessage.content).toMatch(/… \[\d+ more characters left out\]$/);

    requests.length = 0;
    replies = [answer('ok')];
    await chat({ conversationId, message: 'thanks' });
    const long = requests[0]!.body.messages.find((m: any) => m.role === 'assistant' && m.content.startsWith('Here they are'));
    expect(long.content.length).toBeLessThan(2_100);

    for (let i = 0; i < 10; i++) {
      replies = [answer('ok')];
      await chat({ conversationId, message: `note ${i}` });
    }
    // System prompt, the last 20 messages, the new one.
    expect(requests.at(-1)!.body.messages).toHaveLength(22);
    const undone = (await chat({ conversationId, message: 'undo' })).json();
    expect(undone.toolCalls).toMatchObject([{ name: 'delete_task', ok: true, result: { deleted: { title: 'Early task' } } }]);
  });
});
