import type { Db } from '@taskstream/db';
import { assertOwnConversation, loadMessagePage } from '../store/conversation-store.js';
import { toolCallView } from '../tools/run-tool.js';
import type { ChatHistory, ChatHistoryQuery } from './chat-schemas.js';

/** A page of a conversation's messages, oldest first; only its owner can read it. */
export async function getConversation(db: Db, userId: string, id: string, query: ChatHistoryQuery): Promise<ChatHistory> {
  await assertOwnConversation(db, userId, id);
  const rows = await loadMessagePage(db, id, query.limit + 1, query.cursor === undefined ? undefined : Number(query.cursor));
  const page = rows.slice(0, query.limit);
  return {
    conversationId: id,
    messages: page.map((m) => ({
      role: m.role,
      content: m.content,
      toolCalls: m.toolCalls.map(toolCallView),
      undone: m.undoneAt !== null,
      createdAt: m.createdAt.toISOString(),
    })),
    nextCursor: rows.length > query.limit ? String(page.at(-1)!.id) : null,
  };
}
