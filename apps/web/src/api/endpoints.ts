import { query, request } from './client.js';
import type {
  ActivityQuery,
  AuditEntry,
  AuditPage,
  CreateTagInput,
  CreateTaskInput,
  Me,
  Notification,
  NotificationPage,
  NotificationQuery,
  Page,
  PushSubscriptionInput,
  RecurrencePreview,
  RecurrencePreviewQuery,
  SignInInput,
  SignUpInput,
  SnoozeInput,
  Tag,
  Task,
  TaskPage,
  TaskQuery,
  UpdateMeInput,
  UpdateTagInput,
  UpdateTaskInput,
} from './types.js';

const enc = encodeURIComponent;

export const api = {
  me: () => request<Me>('/api/me'),
  updateMe: (patch: UpdateMeInput) => request<Me>('/api/me', { method: 'PATCH', body: patch }),

  signUp: (input: SignUpInput) => request<unknown>('/api/auth/sign-up/email', { method: 'POST', body: input }),
  signIn: (input: SignInInput) => request<unknown>('/api/auth/sign-in/email', { method: 'POST', body: input }),
  signOut: () => request<unknown>('/api/auth/sign-out', { method: 'POST', body: {} }),

  tasks: (q: TaskQuery, signal?: AbortSignal) => request<TaskPage>(`/api/tasks${query({ ...q })}`, { ...(signal && { signal }) }),
  task: (id: string) => request<Task>(`/api/tasks/${enc(id)}`),
  createTask: (input: CreateTaskInput) => request<Task>('/api/tasks', { method: 'POST', body: input }),
  updateTask: (id: string, patch: UpdateTaskInput) => request<Task>(`/api/tasks/${enc(id)}`, { method: 'PATCH', body: patch }),
  deleteTask: (id: string) => request<void>(`/api/tasks/${enc(id)}`, { method: 'DELETE' }),
  completeTask: (id: string) => request<Task>(`/api/tasks/${enc(id)}/complete`, { method: 'POST' }),
  reopenTask: (id: string) => request<Task>(`/api/tasks/${enc(id)}/reopen`, { method: 'POST' }),
  history: (id: string) => request<{ items: AuditEntry[] }>(`/api/tasks/${enc(id)}/history`),
  activity: (cursor?: string) => request<AuditPage>(`/api/activity${query({ limit: 30, cursor } satisfies ActivityQuery)}`),

  tags: () => request<Page<Tag>>('/api/tags'),
  createTag: (input: CreateTagInput) => request<Tag>('/api/tags', { method: 'POST', body: input }),
  updateTag: (id: string, patch: UpdateTagInput) => request<Tag>(`/api/tags/${enc(id)}`, { method: 'PATCH', body: patch }),
  deleteTag: (id: string) => request<void>(`/api/tags/${enc(id)}`, { method: 'DELETE' }),

  previewRecurrence: (p: RecurrencePreviewQuery, signal?: AbortSignal) =>
    request<RecurrencePreview>(`/api/recurrence/preview${query({ ...p, count: p.count ?? 5 })}`, { ...(signal && { signal }) }),

  notifications: (q: NotificationQuery = {}) => request<NotificationPage>(`/api/notifications${query({ ...q, limit: 30 })}`),
  readNotification: (id: string) => request<Notification>(`/api/notifications/${enc(id)}/read`, { method: 'POST' }),
  readAllNotifications: () => request<unknown>('/api/notifications/read-all', { method: 'POST' }),
  snoozeNotification: (id: string, input: SnoozeInput) => request<Notification>(`/api/notifications/${enc(id)}/snooze`, { method: 'POST', body: input }),
  pushPublicKey: () => request<{ publicKey: string }>('/api/notifications/push/public-key'),
  addPushSubscription: (sub: PushSubscriptionInput) => request<unknown>('/api/notifications/push/subscriptions', { method: 'POST', body: sub }),
  removePushSubscription: (endpoint: string) => request<unknown>('/api/notifications/push/subscriptions', { method: 'DELETE', body: { endpoint } }),
};
