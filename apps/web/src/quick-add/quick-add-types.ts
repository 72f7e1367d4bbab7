import type { Priority } from '../api/types.js';

// The contract of `parseQuickAdd` from @taskstream/chat/quick-add, shared by the web UI and the chat interpreter.
export type QuickAddPartKind = 'due' | 'priority' | 'tag' | 'recurrence' | 'reminder';

export interface QuickAddPart {
  kind: QuickAddPartKind;
  /** The words in the input this part came from, and where they are. */
  text: string;
  start: number;
  end: number;
  /** What the part means, in words, for a chip. */
  label: string;
}

export interface QuickAddResult {
  title: string;
  dueAt: string | null;
  priority: Priority | null;
  tags: string[];
  recurrence: { rule: string; repeatFrom: 'due' | 'completion' } | null;
  reminders: Array<{ offsetMinutes: number } | { remindAt: string }>;
  parts: QuickAddPart[];
}

export type ParseQuickAdd = (text: string, options: { now: Date; timeZone: string }) => QuickAddResult;
