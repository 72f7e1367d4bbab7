import { and, asc, eq } from 'drizzle-orm';
import { isUuid, newId, type Db } from '@taskstream/db';
import { ChatError } from '../chat/chat-schemas.js';
import type { ToolCallRecord } from '../tools/run-tool.js';
import { chatConversations, chatMessages } from './chat-schema.js';

/** What the interpreter carries from one turn to the next. */
export interface TurnState {
  /** A question waiting for an answer: the action and the tasks it could mean. */
  pending?: { action: PendingAction; candidates: Array<{ id: string; title: string }> };
  /** Tasks shown in order, so "the second one" can refer to them. */
  listed?: string[];
  /** Tasks the last turn acted on, so "it" can refer to them. */
  focus?: string[];
}

/** A task action waiting for the user to say which task; `args` are the other tool arguments. */
export interface PendingAction {
  kind: string;
  args: Record<string, unknown>;
}

export interface StoredMessage {
  id: number;
  role: 'user' | 'assistant';
  content: string;
  toolCalls: ToolCallRecord[];
  state: TurnState | null;
  undoneAt: Date | null;
  createdAt: Date;
}

async function findConversation(db: Db, userId: string, id: string): Promise<{ id: string } | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db
    .select({ id: chatConversations.id })
    .from(chatConversations)
    .where(and(eq(chatConversations.id, id), eq(chatConversations.userId, userId)));
  return row;
}

/** A conversation's messages, oldest first; 404 unless `userId` owns it (another user's is indistinguishable from a missing one). */
export async function loadOwnedConversation(db: Db, userId: string, id: string): Promise<StoredMessage[]> {
  if (!(await findConversation(db, userId, id))) throw new ChatError('not_found', 'conversation_not_found', `No conversation with id ${id}.`);
  return loadMessages(db, id);
}

export async function createConversation(db: Db, userId: string, now: Date): Promise<string> {
  const id = newId();
  await db.insert(chatConversations).values({ id, userId, createdAt: now, updatedAt: now });
  return id;
}

async function loadMessages(db: Db, conversationId: string): Promise<StoredMessage[]> {
  const rows = await db.select().from(chatMessages).where(eq(chatMessages.conversationId, conversationId)).orderBy(asc(chatMessages.id));
  return rows.map((r) => ({
    id: r.id,
    role: r.role as StoredMessage['role'],
    content: r.content,
    toolCalls: r.toolCalls as ToolCallRecord[],
    state: r.state as TurnState | null,
    undoneAt: r.undoneAt,
    createdAt: r.createdAt,
  }));
}

export async function appendMessage(
  db: Db,
  conversationId: string,
  message: { role: 'user' | 'assistant'; content: string; toolCalls?: ToolCallRecord[]; state?: TurnState | null },
  now: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(chatMessages).values({
      conversationId,
      role: message.role,
      content: message.content,
      toolCalls: message.toolCalls ?? [],
      state: message.state ?? null,
      createdAt: now,
    });
    await tx.update(chatConversations).set({ updatedAt: now }).where(eq(chatConversations.id, conversationId));
  });
}

export async function markUndone(db: Db, messageId: number, now: Date): Promise<void> {
  await db.update(chatMessages).set({ undoneAt: now }).where(eq(chatMessages.id, messageId));
}
