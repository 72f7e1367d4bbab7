import type { QueryClient } from '@tanstack/react-query';

/** Refetches everything that lists tasks or counts them (task lists, tag counts, activity) after a task changed. */
export function refreshTaskLists(client: QueryClient): void {
  for (const key of ['tasks', 'tags', 'activity']) void client.invalidateQueries({ queryKey: [key] });
}
