import type { Db } from '@taskstream/db';
import { findConversation, loadMessages } from '../store/conversation-store.js';
import { ChatError, type ChatHistory } from './chat-schemas.js';
import { toolCallView } from './send-chat-message.js';

/** A conversation's messages, oldest first; only its owner can read it. */
export async function getConversation(db: Db, userId: string, id: string): Promise<ChatHistory> {
  if (!(await findConversation(db, userId, id))) throw new ChatError(404, 'conversation_not_found', `No conversation with id ${id}.`);
  const messages = await loadMessages(db, id);
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
