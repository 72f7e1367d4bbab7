import { z } from 'zod';
import { findTool } from './task-tools.js';
import { ToolError, type TaskToolsPort } from './task-tools-port.js';
import type { UndoStep } from './undo-step.js';

/** What a client sees of a tool call: what was asked and what happened. */
export const ToolCallView = z.object({
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  ok: z.boolean(),
  summary: z.string().describe('what the call did, in one sentence'),
  result: z.record(z.string(), z.unknown()).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type ToolCallView = z.infer<typeof ToolCallView>;

/** One tool call as the chat stores it: its view, and how to revert it. */
export type ToolCallRecord = ToolCallView & { undo?: UndoStep };

/** What a client sees of a tool call: no undo data. */
export function toolCallView({ undo: _undo, ...call }: ToolCallRecord): ToolCallView {
  return call;
}

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

/** Validates the arguments against the tool's schema, runs it at `now`, and turns failures the caller can fix into an error record. */
export async function runTool(port: TaskToolsPort, name: string, args: Record<string, unknown>, now: Date): Promise<ToolCallRecord> {
  const tool = findTool(name);
  if (!tool) return { name, arguments: args, ok: false, summary: `There is no tool "${name}".`, error: { code: 'unknown_tool', message: `unknown tool ${name}` } };
  const parsed = tool.input.safeParse(args);
  if (!parsed.success) {
    const message = `Invalid arguments for ${name}: ${describeIssues(parsed.error)}`;
    return { name, arguments: args, ok: false, summary: message, error: { code: 'invalid_arguments', message } };
  }
  try {
    const outcome = await tool.run(port, parsed.data, now);
    return { name, arguments: args, ok: true, summary: outcome.summary, result: outcome.structured, ...(outcome.undo && { undo: outcome.undo }) };
  } catch (e) {
    if (!(e instanceof ToolError)) throw e;
    return { name, arguments: args, ok: false, summary: e.message, error: { code: e.code, message: e.message } };
  }
}
