import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../testing/test-app.js';

// The stdio bin of @taskstream/chat as a desktop MCP client runs it: a child process that
// calls the real API (listening on a loopback port) with the user's token.
const bin = fileURLToPath(new URL('../../../../../modules/chat/src/mcp/stdio-main.ts', import.meta.url));
let t: TestApp;
let url: string;
let ada: TestUser;

function stdioClient(env: Record<string, string>): { client: Client; transport: StdioClientTransport } {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--conditions=development', '--import', 'tsx', bin],
    env: { PATH: process.env.PATH ?? '', ...env },
    stderr: 'pipe',
  });
  return { client: new Client({ name: 'desktop-client', version: '1.0.0' }), transport };
}

beforeAll(async () => {
  t = await createTestApp({ now: () => new Date('2026-03-06T15:00:00Z') });
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  ada = await t.signUp({ timeZone: 'Europe/Berlin' });
});
afterAll(() => t?.close());

describe('taskstream-mcp (stdio bin)', () => {
  it('serves the same tools over stdio, acting through the REST API as the token\'s user', async () => {
    const { client, transport } = stdioClient({ TASKSTREAM_URL: url, TASKSTREAM_TOKEN: ada.token });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools).toHaveLength(10);
      const added: any = await client.callTool({ name: 'add_task', arguments: { title: 'Call mom', dueAt: '2026-03-07T17:00', tags: ['family'] } });
      expect(added.structuredContent.task).toMatchObject({ title: 'Call mom', dueAt: '2026-03-07T16:00:00.000Z', tags: ['family'] });
      const viaRest = (await t.app.inject({ method: 'GET', url: '/api/tasks', headers: ada.headers })).json();
      expect(viaRest.items.map((x: any) => x.id)).toEqual([added.structuredContent.task.id]);
      const listed: any = await client.callTool({ name: 'list_tasks', arguments: { tag: 'family', status: ['open'] } });
      expect(listed.structuredContent.items).toHaveLength(1);
      const done: any = await client.callTool({ name: 'complete_task', arguments: { id: added.structuredContent.task.id } });
      expect(done.structuredContent.task.status).toBe('completed');
      const missing: any = await client.callTool({ name: 'delete_task', arguments: { id: '00000000-0000-4000-8000-000000000000' } });
      expect(missing).toMatchObject({ isError: true });
      expect(missing.content[0].text).toMatch(/task_not_found/);
      const bad: any = await client.callTool({ name: 'add_task', arguments: { title: '' } });
      expect(bad.isError).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('fails to start without a token, saying which variable to set', async () => {
    const { client, transport } = stdioClient({ TASKSTREAM_URL: url });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await expect(client.connect(transport)).rejects.toThrow();
    await expect.poll(() => stderr, { timeout: 10_000 }).toContain('TASKSTREAM_TOKEN');
  });
});
