#!/usr/bin/env node
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createTaskMcpServer } from './create-mcp-server.js';
import { restTaskTools } from './rest-task-tools.js';

/*
 * taskstream-mcp: the task tools over stdio for desktop MCP clients. It calls a running
 * Taskstream API as the user whose bearer token is in TASKSTREAM_TOKEN.
 * This bin is a client of the API, not part of it, so it reads its own two variables.
 */
async function main(): Promise<void> {
  const token = process.env.TASKSTREAM_TOKEN;
  const baseUrl = process.env.TASKSTREAM_URL ?? 'http://localhost:8080';
  if (!token) {
    process.stderr.write('taskstream-mcp: set TASKSTREAM_TOKEN to a bearer token (POST /api/auth/sign-in/email returns it in set-auth-token)\n');
    process.exit(2);
  }
  const port = await restTaskTools({ baseUrl, token });
  // A separate process with no injected clock: the system clock is the one it has.
  const server = await createTaskMcpServer(port, () => new Date());
  await server.connect(new StdioServerTransport());
}

main().catch((e: unknown) => {
  process.stderr.write(`taskstream-mcp: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
