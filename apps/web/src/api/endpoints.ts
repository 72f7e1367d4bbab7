import { query, request } from './client.js';
import type { AuditEntry, Me, Notification, NotificationPage, Page, RecurrencePreview, Tag, Task, TaskInput } from './types.js';

export interface TaskQuery {
  q?: string;
  status?: string;
  priority?: string;
  tags?: string;
  tagMode?: 'any' | 'all';
  dueAfter?: string;
  dueBefore?: string;
  overdue?: boolean;
  recurring?: boolean;
  sort?: string;
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string;
}

const enc = encodeURIComponent;

export const api = {
  me: () => request<Me>('/api/me'),
  updateMe: (patch: Partial<Pick<Me, 'name' | 'timeZone'>> & { notifications?: Partial<Me['notifications']> }) =>
    request<Me>('/api/me', { method: 'PATCH', body: patch }),

  signUp: (input: { name: string; email: string; password: string; timeZone: string }) =>
    request<unknown>('/api/auth/sign-up/email', { method: 'POST', body: input }),
  signIn: (input: { email: string; password: string }) => request<unknown>('/api/auth/sign-in/email', { method: 'POST', body: input }),
  signOut: () => request<unknown>('/api/auth/sign-out', { method: 'POST', body: {} }),

  tasks: (q: TaskQuery, signal?: AbortSignal) => request<Page<Task>>(`/api/tasks${query({ ...q })}`, { ...(signal && { signal }) }),
  task: (id: string) => request<Task>(`/api/tasks/${enc(id)}`),
  createTask: (input: TaskInput & { title: string }) => request<Task>('/api/tasks', { method: 'POST', body: input }),
  updateTask: (id: string, patch: TaskInput) => request<Task>(`/api/tasks/${enc(id)}`, { method: 'PATCH', body: patch }),
  deleteTask: (id: string) => request<void>(`/api/tasks/${enc(id)}`, { method: 'DELETE' }),
  completeTask: (id: string) => request<Task>(`/api/tasks/${enc(id)}/complete`, { method: 'POST' }),
  reopenTask: (id: string) => request<Task>(`/api/tasks/${enc(id)}/reopen`, { method: 'POST' }),
  history: (id: string) => request<{ items: AuditEntry[] }>(`/api/tasks/${enc(id)}/history`),
  activity: (cursor?: string) => request<Page<AuditEntry>>(`/api/activity${query({ limit: 30, cursor })}`),

  tags: () => request<Page<Tag>>('/api/tags'),
  createTag: (input: { name: string; color?: string }) => request<Tag>('/api/tags', { method: 'POST', body: input }),
  updateTag: (id: string, patch: { name?: string; color?: string }) => request<Tag>(`/api/tags/${enc(id)}`, { method: 'PATCH', body: patch }),
  deleteTag: (id: string) => request<void>(`/api/tags/${enc(id)}`, { method: 'DELETE' }),

  previewRecurrence: (p: { rule: string; zone: string; start?: string; repeatFrom: 'due' | 'completion'; count?: number; ruleCount?: number; until?: string }, signal?: AbortSignal) =>
    request<RecurrencePreview>(`/api/recurrence/preview${query({ ...p, count: p.count ?? 5 })}`, { ...(signal && { signal }) }),

  notifications: (unread?: boolean) => request<NotificationPage>(`/api/notifications${query({ unread, limit: 30 })}`),
  readNotification: (id: string) => request<Notification>(`/api/notifications/${enc(id)}/read`, { method: 'POST' }),
  readAllNotifications: () => request<unknown>('/api/notifications/read-all', { method: 'POST' }),
  snoozeNotification: (id: string, minutes: number) => request<Notification>(`/api/notifications/${enc(id)}/snooze`, { method: 'POST', body: { minutes } }),
  pushPublicKey: () => request<{ publicKey: string }>('/api/notifications/push/public-key'),
  addPushSubscription: (sub: { endpoint: string; keys: { p256dh: string; auth: string } }) =>
    request<unknown>('/api/notifications/push/subscriptions', { method: 'POST', body: sub }),
  removePushSubscription: (endpoint: string) => request<unknown>('/api/notifications/push/subscriptions', { method: 'DELETE', body: { endpoint } }),
};
