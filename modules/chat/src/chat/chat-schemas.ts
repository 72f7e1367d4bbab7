import { z } from 'zod';
import { DomainError, type FieldError } from '@taskstream/errors';
import { ToolCallView } from '../tools/run-tool.js';

export const ChatRequest = z.strictObject({
  conversationId: z.uuid({ error: 'must be a conversation id returned by POST /api/chat' }).optional(),
  message: z.string().trim().min(1, 'must not be empty').max(4000),
});
export type ChatRequest = z.infer<typeof ChatRequest>;

export const ChatReply = z.object({
  conversationId: z.uuid(),
  reply: z.string(),
  toolCalls: z.array(ToolCallView),
});
export type ChatReply = z.infer<typeof ChatReply>;

export const ChatMessageView = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  toolCalls: z.array(ToolCallView),
  undone: z.boolean().describe('a later "undo" reverted this turn'),
  createdAt: z.string(),
});
export const ChatHistory = z.object({
  conversationId: z.uuid(),
  messages: z.array(ChatMessageView),
  nextCursor: z.string().nullable().describe('pass as cursor for the messages after these; null at the end'),
});
export type ChatHistory = z.infer<typeof ChatHistory>;

export const ChatHistoryQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().regex(/^\d{1,18}$/, 'is not a cursor returned by this conversation').optional(),
});
export type ChatHistoryQuery = z.infer<typeof ChatHistoryQuery>;

/** What one user may keep of the chat (config: CHAT_CONVERSATIONS_PER_USER, CHAT_MESSAGES_PER_CONVERSATION). */
export interface ChatLimits {
  conversationsPerUser: number;
  messagesPerConversation: number;
}

/** A chat request that cannot be served as asked: the conversation is not there or full, or the model failed. */
export class ChatError extends DomainError {
  constructor(kind: 'not_found' | 'conflict' | 'upstream', code: string, message: string, errors: FieldError[] = []) {
    super(kind, code, message, errors);
    this.name = 'ChatError';
  }
}
