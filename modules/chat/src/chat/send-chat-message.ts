import type { Db } from '@taskstream/db';
import { interpret, type Turn } from '../interpreter/interpret.js';
import { parseIntent } from '../interpreter/parse-intent.js';
import { appendMessage, createConversation, loadOwnedConversation, markUndone, type StoredMessage } from '../store/conversation-store.js';
import { toolCallView } from '../tools/run-tool.js';
import type { TaskToolsPort } from '../tools/task-tools-port.js';
import type { ChatReply, ChatRequest } from './chat-schemas.js';
import { llmTurn, type LlmConfig } from './llm-turn.js';
import { lastUndoable, undoTurn } from './undo-last-action.js';

export interface ChatDeps {
  db: Db;
  /** The task tools bound to the signed-in user. */
  port: TaskToolsPort;
  userId: string;
  now: () => Date;
  /** With a model configured the LLM drives the tools; without, the deterministic interpreter does. */
  llm?: LlmConfig;
}

async function undoLast(deps: ChatDeps, history: StoredMessage[], now: Date): Promise<Turn> {
  const last = lastUndoable(history);
  if (!last) return { reply: 'There is nothing to undo in this conversation.', toolCalls: [], state: {} };
  const undone = await undoTurn(deps.port, last, now);
  await markUndone(deps.db, last.id, now);
  return { ...undone, state: {} };
}

async function openConversation(deps: ChatDeps, id: string | undefined, now: Date): Promise<{ id: string; history: StoredMessage[] }> {
  if (id === undefined) return { id: await createConversation(deps.db, deps.userId, now), history: [] };
  return { id, history: await loadOwnedConversation(deps.db, deps.userId, id) };
}

/** Handles one user message: stores it, answers it (undo, model or interpreter), stores the answer. */
export async function sendChatMessage(deps: ChatDeps, request: ChatRequest): Promise<ChatReply> {
  const now = deps.now();
  const conversation = await openConversation(deps, request.conversationId, now);
  await appendMessage(deps.db, conversation.id, { role: 'user', content: request.message }, now);
  const previous = conversation.history.findLast((m) => m.role === 'assistant')?.state ?? null;
  let turn: Turn;
  if (parseIntent(request.message).kind === 'undo') turn = await undoLast(deps, conversation.history, now);
  else if (deps.llm) turn = { ...(await llmTurn(deps.llm, deps.port, conversation.history, request.message, now)), state: {} };
  else turn = await interpret(deps.port, request.message, now, previous);
  await appendMessage(deps.db, conversation.id, { role: 'assistant', content: turn.reply, toolCalls: turn.toolCalls, state: turn.state }, now);
  return { conversationId: conversation.id, reply: turn.reply, toolCalls: turn.toolCalls.map(toolCallView) };
}
