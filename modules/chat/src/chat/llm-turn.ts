import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { z } from 'zod';
import type { HistoryMessage } from '../store/conversation-store.js';
import { formatInZone } from '../quick-add/format-in-zone.js';
import { runTool, type ToolCallRecord } from '../tools/run-tool.js';
import { TASK_TOOLS } from '../tools/task-tools.js';
import type { TaskToolsPort } from '../tools/task-tools-port.js';
import { ChatError } from './chat-schemas.js';

/** An OpenAI-compatible chat-completions endpoint (OpenAI, a local server, a gateway). */
export interface LlmConfig {
  baseUrl: string;
  apiKey?: string;
  model: string;
}

const MAX_ROUNDS = 6;
/**
 * What the model is sent is paid for by the token: an earlier message (a long task list the
 * assistant showed) goes in cut to this many characters, a tool result of this turn to the other.
 */
export const HISTORY_MESSAGE_CHARS = 2_000;
export const TOOL_RESULT_CHARS = 8_000;

/** The text cut to `max` characters, saying how much was left out so the model can ask narrower. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… [${text.length - max} more characters left out]`;
}

let specs: ChatCompletionTool[] | undefined;

/** The tools as the model sees them: built on the first turn (a JSON Schema per tool), then reused. */
function toolSpecs(): ChatCompletionTool[] {
  specs ??= TASK_TOOLS.map((tool) => {
    const { $schema: _schema, ...parameters } = z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' });
    return { type: 'function', function: { name: tool.name, description: tool.description, parameters } };
  });
  return specs;
}

function systemPrompt(now: Date, zone: string): string {
  const local = formatInZone(now, zone, now);
  return [
    'You manage the user\'s todo list with the tools you are given; you can only see and change this user\'s tasks.',
    `Now is ${local} in the user's time zone ${zone} (${now.toISOString()} UTC).`,
    'Give due dates as local date-times like 2026-04-01T09:00 (read in the user\'s zone) or as UTC instants.',
    'Find a task\'s id with list_tasks before changing it. If a request could mean several tasks, ask which one.',
    'After acting, say plainly and briefly what you did.',
  ].join('\n');
}

function historyMessages(history: HistoryMessage[]): ChatCompletionMessageParam[] {
  return history.map((m) => ({ role: m.role, content: cut(m.content, HISTORY_MESSAGE_CHARS) }));
}

/** The model's arguments as JSON (undefined when they are not JSON); runTool says what is wrong with them. */
function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text || '{}');
  } catch {
    return undefined;
  }
}

/**
 * One chat turn through a language model: the model sees the conversation and the task
 * tools, the tools run for this user, and the loop ends when it answers in words.
 */
export async function llmTurn(config: LlmConfig, port: TaskToolsPort, history: HistoryMessage[], message: string, now: Date): Promise<{ reply: string; toolCalls: ToolCallRecord[] }> {
  // Loaded only when a model is configured.
  const { default: OpenAI } = await import('openai');
  const client = new OpenAI({ baseURL: config.baseUrl, apiKey: config.apiKey ?? 'none', maxRetries: 1, timeout: 60_000 });
  const tools = toolSpecs();
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: systemPrompt(now, port.timeZone) },
    ...historyMessages(history),
    { role: 'user', content: message },
  ];
  const toolCalls: ToolCallRecord[] = [];
  const done = () => toolCalls.filter((c) => c.ok).map((c) => c.summary).join('\n');
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let answer;
    try {
      answer = (await client.chat.completions.create({ model: config.model, messages, tools, tool_choice: 'auto' })).choices[0]?.message;
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      if (toolCalls.length === 0) throw new ChatError('upstream', 'llm_failed', `The language model did not answer: ${why}`);
      return { reply: `The language model stopped answering (${why}). What I did so far:\n${done()}`, toolCalls };
    }
    const calls = (answer?.tool_calls ?? []).filter((c) => c.type === 'function');
    if (!answer || calls.length === 0) return { reply: answer?.content?.trim() || done() || 'OK.', toolCalls };
    messages.push({ role: 'assistant', content: answer.content ?? null, tool_calls: calls });
    for (const call of calls) {
      const record = await runTool(port, call.function.name, parseArguments(call.function.arguments), now);
      toolCalls.push(record);
      messages.push({ role: 'tool', tool_call_id: call.id, content: cut(JSON.stringify(record.ok ? record.result : { error: record.error }), TOOL_RESULT_CHARS) });
    }
  }
  return { reply: `I stopped after ${MAX_ROUNDS} rounds of tool calls. What I did:\n${done()}`, toolCalls };
}
