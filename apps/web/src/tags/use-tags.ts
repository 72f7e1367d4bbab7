import { useQuery } from '@tanstack/react-query';
import { api } from '../api/endpoints.js';
import type { Tag } from '../api/types.js';

export function useTags() {
  return useQuery({ queryKey: ['tags'], queryFn: api.tags, select: (page) => page.items });
}

/** Tag name → colour, for chips anywhere a task shows its tags. */
export function useTagColors(): Map<string, string> {
  const { data } = useTags();
  return new Map((data ?? []).map((t: Tag) => [t.name.toLowerCase(), t.color]));
}
