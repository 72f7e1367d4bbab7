import type { Db } from '@taskstream/db';
import { interpret, type Turn } from '../interpreter/interpret.js';
import { parseIntent } from '../interpreter/parse-intent.js';
import {
  appendMessage, assertOwnConversation, countMessages, createConversation, findLastUndoable, loadRecentMessages, markUndone, type HistoryMessage,
} from '../store/conversation-store.js';
import { toolCallView } from '../tools/run-tool.js';
import type { TaskToolsPort } from '../tools/task-tools-port.js';
import { ChatError, type ChatLimits, type ChatReply, type ChatRequest } from './chat-schemas.js';
import { llmTurn, type LlmConfig } from './llm-turn.js';
import { undoTurn } from './undo-last-action.js';

/** How many earlier messages a turn reads: the model's context, and the interpreter's last state. */
export const HISTORY_MESSAGES = 20;

export interface ChatDeps {
  db: Db;
  /** The task tools bound to the signed-in user. */
  port: TaskToolsPort;
  userId: string;
  now: () => Date;
  limits: ChatLimits;
  /** With a model configured the LLM drives the tools; without, the deterministic interpreter does. */
  llm?: LlmConfig;
}

async function undoLast(deps: ChatDeps, conversationId: string, now: Date): Promise<Turn> {
  const last = await findLastUndoable(deps.db, conversationId);
  if (!last) return { reply: 'There is nothing to undo in this conversation.', toolCalls: [], state: {} };
  const undone = await undoTurn(deps.port, last, now);
  await markUndone(deps.db, last.id, now);
  return { ...undone, state: {} };
}

/** A turn adds two messages (the user's and the answer); a full conversation is refused before either. */
async function assertRoom(deps: ChatDeps, id: string): Promise<void> {
  const max = deps.limits.messagesPerConversation;
  if ((await countMessages(deps.db, id)) + 2 <= max) return;
  const message = `This conversation has reached ${max} messages, the most one may hold. Start a new one: send your message without conversationId.`;
  throw new ChatError('conflict', 'limit_reached', message, [{ path: 'conversationId', message: `holds ${max} messages` }]);
}

async function openConversation(deps: ChatDeps, id: string | undefined, now: Date): Promise<{ id: string; history: HistoryMessage[] }> {
  if (id === undefined) return { id: await createConversation(deps.db, deps.userId, now, deps.limits.conversationsPerUser), history: [] };
  await assertOwnConversation(deps.db, deps.userId, id);
  await assertRoom(deps, id);
  return { id, history: await loadRecentMessages(deps.db, id, HISTORY_MESSAGES) };
}

/** Handles one user message: stores it, answers it (undo, model or interpreter), stores the answer. */
export async function sendChatMessage(deps: ChatDeps, request: ChatRequest): Promise<ChatReply> {
  const now = deps.now();
  const conversation = await openConversation(deps, request.conversationId, now);
  await appendMessage(deps.db, conversation.id, { role: 'user', content: request.message }, now);
  const previous = conversation.history.findLast((m) => m.role === 'assistant')?.state ?? null;
  let turn: Turn;
  if (parseIntent(request.message).kind === 'undo') turn = await undoLast(deps, conversation.id, now);
  else if (deps.llm) turn = { ...(await llmTurn(deps.llm, deps.port, conversation.history, request.message, now)), state: {} };
  else turn = await interpret(deps.port, request.message, now, previous);
  await appendMessage(deps.db, conversation.id, { role: 'assistant', content: turn.reply, toolCalls: turn.toolCalls, state: turn.state }, now);
  return { conversationId: conversation.id, reply: turn.reply, toolCalls: turn.toolCalls.map(toolCallView) };
}
