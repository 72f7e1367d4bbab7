import { addDays, instantOf } from '@taskstream/time';
import { PRIORITIES, type Priority, type TaskQuery } from '../api/types.js';
import { instantFromLocal, wallFromLocal } from '../lib/time.js';

export const SORTS = ['dueAt', 'priority', 'createdAt', 'updatedAt', 'title'] as const;
export type Sort = (typeof SORTS)[number];
export type StatusFilter = 'open' | 'completed' | 'all';

/** What the list shows. It lives in the URL, so a reload or a shared link shows the same list. */
export interface TaskFilters {
  q: string;
  status: StatusFilter;
  priority: Priority[];
  tags: string[];
  tagMode: 'any' | 'all';
  /** Calendar dates (YYYY-MM-DD) in the user's zone, both ends included. */
  dueFrom: string;
  dueTo: string;
  overdue: boolean;
  recurring: boolean;
  sort: Sort | '';
  order: 'asc' | 'desc' | '';
}

export const DEFAULT_FILTERS: TaskFilters = {
  q: '',
  status: 'open',
  priority: [],
  tags: [],
  tagMode: 'any',
  dueFrom: '',
  dueTo: '',
  overdue: false,
  recurring: false,
  sort: '',
  order: '',
};

const list = (v: string | null) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []);
const isDate = (v: string | null): v is string => !!v && /^\d{4}-\d{2}-\d{2}$/.test(v);
const oneOf = <T extends string>(v: string | null, allowed: readonly T[], fallback: T): T => (allowed.includes(v as T) ? (v as T) : fallback);

/** Reads filters from the URL, ignoring anything malformed rather than failing the page. */
export function filtersFromSearch(search: URLSearchParams): TaskFilters {
  return {
    q: search.get('q') ?? '',
    status: oneOf(search.get('status'), ['open', 'completed', 'all'] as const, 'open'),
    priority: list(search.get('priority')).filter((p): p is Priority => PRIORITIES.includes(p as Priority)),
    tags: list(search.get('tags')),
    tagMode: oneOf(search.get('tagMode'), ['any', 'all'] as const, 'any'),
    dueFrom: isDate(search.get('dueFrom')) ? search.get('dueFrom')! : '',
    dueTo: isDate(search.get('dueTo')) ? search.get('dueTo')! : '',
    overdue: search.get('overdue') === 'true',
    recurring: search.get('recurring') === 'true',
    sort: oneOf(search.get('sort'), ['', ...SORTS] as const, ''),
    order: oneOf(search.get('order'), ['', 'asc', 'desc'] as const, ''),
  };
}

/** The URL search string for filters; defaults are left out so links stay short. */
export function searchFromFilters(f: TaskFilters): string {
  const s = new URLSearchParams();
  if (f.q.trim()) s.set('q', f.q);
  if (f.status !== 'open') s.set('status', f.status);
  if (f.priority.length) s.set('priority', f.priority.join(','));
  if (f.tags.length) s.set('tags', f.tags.join(','));
  if (f.tags.length > 1 && f.tagMode === 'all') s.set('tagMode', 'all');
  if (f.dueFrom) s.set('dueFrom', f.dueFrom);
  if (f.dueTo) s.set('dueTo', f.dueTo);
  if (f.overdue) s.set('overdue', 'true');
  if (f.recurring) s.set('recurring', 'true');
  if (f.sort) s.set('sort', f.sort);
  if (f.order) s.set('order', f.order);
  const text = s.toString();
  return text ? `?${text}` : '';
}

export function hasActiveFilters(f: TaskFilters): boolean {
  return searchFromFilters({ ...f, sort: '', order: '' }) !== '';
}

/** The API query for filters: dates become the instants at which those days begin in the zone. */
export function toTaskQuery(f: TaskFilters, zone: string): TaskQuery {
  return {
    q: f.q.trim() || undefined,
    status: f.status === 'open' ? 'open,in_progress' : f.status === 'completed' ? 'completed' : undefined,
    priority: f.priority.length ? f.priority.join(',') : undefined,
    tags: f.tags.length ? f.tags.join(',') : undefined,
    tagMode: f.tags.length > 1 ? f.tagMode : undefined,
    dueAfter: f.dueFrom ? instantFromLocal(f.dueFrom, zone).toISOString() : undefined,
    dueBefore: f.dueTo ? instantOf(addDays(wallFromLocal(f.dueTo), 1), zone).toISOString() : undefined,
    overdue: f.overdue ? 'true' : undefined,
    recurring: f.recurring ? 'true' : undefined,
    sort: f.sort || undefined,
    order: f.order || undefined,
    limit: 50,
  };
}
