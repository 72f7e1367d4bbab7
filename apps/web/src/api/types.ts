// The API's own schemas are the source of these types; type-only imports add nothing to the bundle.
import type { NotificationChangedData, NotificationView, TaskChangedData, TaskSnapshot } from '@taskstream/events';
import type { MeView, TagView } from '@taskstream/tasks';
import type { AuditEntryView } from '@taskstream/audit';

export type Task = TaskSnapshot;
export type Tag = TagView;
export type Me = MeView;
export type AuditEntry = AuditEntryView;
export type Notification = NotificationView;
export type { TaskChangedData, NotificationChangedData };

export type Priority = Task['priority'];
export type Status = Task['status'];
export const PRIORITIES: readonly Priority[] = ['low', 'medium', 'high', 'urgent'];

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type ReminderInput = { remindAt: string } | { offsetMinutes: number };
export interface RecurrenceInput {
  rule: string;
  repeatFrom: 'due' | 'completion';
  count?: number;
  until?: string;
}

/** What the UI sends to create or change a task; local date-times are read in timeZone. */
export interface TaskInput {
  title?: string;
  description?: string;
  status?: Status;
  priority?: Priority;
  tags?: string[];
  dueAt?: string | null;
  timeZone?: string;
  reminders?: ReminderInput[];
  recurrence?: RecurrenceInput | null;
}

export interface RecurrencePreview {
  kind: 'rrule' | 'cron';
  rule: string;
  zone: string;
  occurrences: string[];
  description: string;
}

export interface NotificationPage extends Page<Notification> {
  unreadCount: number;
}
