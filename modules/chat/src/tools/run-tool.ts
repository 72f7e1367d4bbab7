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

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Validates the arguments against the tool's schema, runs it at `now`, and turns failures the caller can fix into an error record.
 * The arguments may be anything (a model can send a non-object); only an object is recorded as them.
 */
export async function runTool(port: TaskToolsPort, name: string, args: unknown, now: Date): Promise<ToolCallRecord> {
  const recorded = isObject(args) ? args : {};
  const failed = (code: string, summary: string, message = summary): ToolCallRecord => ({ name, arguments: recorded, ok: false, summary, error: { code, message } });
  const tool = findTool(name);
  if (!tool) return failed('unknown_tool', `There is no tool "${name}".`, `unknown tool ${name}`);
  if (!isObject(args)) return failed('invalid_arguments', `The arguments for ${name} are not a JSON object.`);
  const parsed = tool.input.safeParse(args);
  if (!parsed.success) return failed('invalid_arguments', `Invalid arguments for ${name}: ${describeIssues(parsed.error)}`);
  try {
    const outcome = await tool.run(port, parsed.data, now);
    return { name, arguments: recorded, ok: true, summary: outcome.summary, result: outcome.structured, ...(outcome.undo && { undo: outcome.undo }) };
  } catch (e) {
    if (!(e instanceof ToolError)) throw e;
    return failed(e.code, e.message);
  }
}
