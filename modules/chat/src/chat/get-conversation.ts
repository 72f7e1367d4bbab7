import type { Db } from '@taskstream/db';
import { loadOwnedConversation } from '../store/conversation-store.js';
import { toolCallView } from '../tools/run-tool.js';
import type { ChatHistory } from './chat-schemas.js';

/** A conversation's messages, oldest first; only its owner can read it. */
export async function getConversation(db: Db, userId: string, id: string): Promise<ChatHistory> {
  const messages = await loadOwnedConversation(db, userId, id);
  return {
    conversationId: id,
    messages: messages.map((m) => ({
      role: m.role,
      content: m.content,
      toolCalls: m.toolCalls.map(toolCallView),
      undone: m.undoneAt !== null,
      createdAt: m.createdAt.toISOString(),
    })),
  };
}
