import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { TASK_TOOLS } from '../tools/task-tools.js';
import { ToolError, type TaskToolsPort } from '../tools/task-tools-port.js';

/**
 * An MCP server exposing the task tools for one user. Cheap to build, so the HTTP
 * route makes one per request (stateless) and the stdio bin one per process.
 * The SDK loads on first use, so processes that never serve MCP do not pay for it at start-up.
 * `now` is the clock the tools' summaries are written against.
 */
export async function createTaskMcpServer(port: TaskToolsPort, now: () => Date): Promise<McpServer> {
  const { McpServer } = await import('@modelcontextprotocol/sdk/server/mcp.js');
  const server = new McpServer({ name: 'taskstream', version: '0.1.0' }, { capabilities: { tools: {} } });
  for (const tool of TASK_TOOLS) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.input, outputSchema: tool.output },
      async (args: unknown) => {
        try {
          const outcome = await tool.run(port, args, now());
          return { content: [{ type: 'text' as const, text: outcome.summary }], structuredContent: outcome.structured };
        } catch (e) {
          if (!(e instanceof ToolError)) throw e;
          return { isError: true, content: [{ type: 'text' as const, text: `${e.code}: ${e.message}` }] };
        }
      },
    );
  }
  return server;
}
