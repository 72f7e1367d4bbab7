import { describe, expect, it, vi } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import { taskFixture } from '../testing/task-fixture.js';
import { applyLiveMessage } from './apply-live-message.js';

function clientWithLists() {
  const client = new QueryClient();
  const task = taskFixture({ title: 'Before' });
  client.setQueryData(['task', task.id], task);
  client.setQueryData(['tasks', { status: 'open' }], { pages: [{ items: [task], nextCursor: null }], pageParams: [''] });
  client.setQueryData(['tags'], { items: [], nextCursor: null });
  client.setQueryData(['me'], { id: 'u' });
  client.setQueryData(['notifications'], { items: [], nextCursor: null, unreadCount: 0 });
  return { client, task };
}

const invalidated = (client: QueryClient, key: string) => client.getQueryCache().findAll({ queryKey: [key] })[0]?.state.isInvalidated;

describe('live messages', () => {
  it('a changed task redraws in place and every list that may show it refetches', () => {
    const { client, task } = clientWithLists();
    const changed = { ...task, title: 'After', version: 2 };
    applyLiveMessage(client, { id: 'e1', type: 'task.changed', data: { userId: 'u', taskId: task.id, operation: 'updated', task: changed } }, () => {});
    expect(client.getQueryData(['task', task.id])).toEqual(changed);
    expect(invalidated(client, 'tasks')).toBe(true);
    expect(invalidated(client, 'tags')).toBe(true);
    expect(invalidated(client, 'me')).toBe(false);
  });

  it('a deleted task leaves the cache', () => {
    const { client, task } = clientWithLists();
    applyLiveMessage(client, { id: 'e1', type: 'task.changed', data: { userId: 'u', taskId: task.id, operation: 'deleted', task: null } }, () => {});
    expect(client.getQueryData(['task', task.id])).toBeUndefined();
  });

  it('a new notification updates the badge at once and is handed on', () => {
    const { client } = clientWithLists();
    const onNotification = vi.fn();
    const data = { userId: 'u', operation: 'created', unreadCount: 3, notification: { id: 'n1', title: 'Pay rent' } };
    applyLiveMessage(client, { id: 'e2', type: 'notification.changed', data }, onNotification);
    expect(client.getQueryData<{ unreadCount: number }>(['notifications'])?.unreadCount).toBe(3);
    expect(onNotification).toHaveBeenCalledWith(data);
  });

  it('resync refetches everything', () => {
    const { client } = clientWithLists();
    applyLiveMessage(client, { type: 'resync' }, () => {});
    expect(invalidated(client, 'me')).toBe(true);
    expect(invalidated(client, 'tasks')).toBe(true);
  });
});
