import { and, asc, count, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
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

/** A message as a turn reads it: what was said and the interpreter's state, not the tool calls' results. */
export type HistoryMessage = Omit<StoredMessage, 'toolCalls'>;

async function findConversation(db: Db, userId: string, id: string): Promise<{ id: string } | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db
    .select({ id: chatConversations.id })
    .from(chatConversations)
    .where(and(eq(chatConversations.id, id), eq(chatConversations.userId, userId)));
  return row;
}

/** Throws 404 unless `userId` owns the conversation (another user's is indistinguishable from a missing one). */
export async function assertOwnConversation(db: Db, userId: string, id: string): Promise<void> {
  if (!(await findConversation(db, userId, id))) throw new ChatError('not_found', 'conversation_not_found', `No conversation with id ${id}.`);
}

/**
 * Starts a conversation, and deletes the user's least recently used ones beyond `keep`: there is
 * no other way for a user to drop one, and a refusal would end their chatting for good. Tasks
 * and their history are the record; a conversation is only how they were asked for.
 */
export async function createConversation(db: Db, userId: string, now: Date, keep: number): Promise<string> {
  const id = newId();
  await db.transaction(async (tx) => {
    await tx.insert(chatConversations).values({ id, userId, createdAt: now, updatedAt: now });
    const stale = tx
      .select({ id: chatConversations.id })
      .from(chatConversations)
      .where(eq(chatConversations.userId, userId))
      .orderBy(desc(chatConversations.updatedAt), desc(chatConversations.createdAt))
      .offset(keep);
    await tx.delete(chatConversations).where(and(eq(chatConversations.userId, userId), inArray(chatConversations.id, stale)));
  });
  return id;
}

export async function countMessages(db: Db, conversationId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(chatMessages).where(eq(chatMessages.conversationId, conversationId));
  return row?.n ?? 0;
}

type Row = typeof chatMessages.$inferSelect;
const stored = (r: Row): StoredMessage => ({
  id: r.id,
  role: r.role as StoredMessage['role'],
  content: r.content,
  toolCalls: r.toolCalls as ToolCallRecord[],
  state: r.state as TurnState | null,
  undoneAt: r.undoneAt,
  createdAt: r.createdAt,
});

/** Up to `limit` messages after message id `after`, oldest first. */
export async function loadMessagePage(db: Db, conversationId: string, limit: number, after?: number): Promise<StoredMessage[]> {
  const where = and(eq(chatMessages.conversationId, conversationId), after === undefined ? undefined : gt(chatMessages.id, after));
  return (await db.select().from(chatMessages).where(where).orderBy(asc(chatMessages.id)).limit(limit)).map(stored);
}

/** The last `limit` messages, oldest first, without tool calls: a turn needs what was said, not every result shown. */
export async function loadRecentMessages(db: Db, conversationId: string, limit: number): Promise<HistoryMessage[]> {
  const m = chatMessages;
  const rows = await db
    .select({ id: m.id, role: m.role, content: m.content, state: m.state, undoneAt: m.undoneAt, createdAt: m.createdAt })
    .from(m)
    .where(eq(m.conversationId, conversationId))
    .orderBy(desc(m.id))
    .limit(limit);
  return rows.reverse().map((r) => ({ ...r, role: r.role as HistoryMessage['role'], state: r.state as TurnState | null }));
}

/** The latest assistant turn that changed something and has not been undone, however long ago: what "undo" reverts. */
export async function findLastUndoable(db: Db, conversationId: string): Promise<StoredMessage | undefined> {
  const [row] = await db
    .select()
    .from(chatMessages)
    .where(
      and(
        eq(chatMessages.conversationId, conversationId),
        eq(chatMessages.role, 'assistant'),
        isNull(chatMessages.undoneAt),
        sql`jsonb_path_exists(${chatMessages.toolCalls}, '$[*] ? (@.ok == true && exists(@.undo))')`,
      ),
    )
    .orderBy(desc(chatMessages.id))
    .limit(1);
  return row && stored(row);
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
