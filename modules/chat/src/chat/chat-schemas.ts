import { z } from 'zod';
import { DomainError } from '@taskstream/errors';
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
export const ChatHistory = z.object({ conversationId: z.uuid(), messages: z.array(ChatMessageView) });
export type ChatHistory = z.infer<typeof ChatHistory>;

/** A chat request that cannot be served as asked: the conversation is not there, or the model failed. */
export class ChatError extends DomainError {
  constructor(kind: 'not_found' | 'upstream', code: string, message: string) {
    super(kind, code, message);
    this.name = 'ChatError';
  }
}
