import { useEffect, useRef, useState } from 'react';
import { PRIORITIES } from '../api/types.js';
import { useTags } from '../tags/use-tags.js';
import { DEFAULT_FILTERS, hasActiveFilters, SORTS, type Sort, type StatusFilter, type TaskFilters } from './task-filters.js';
import { SelectField } from '../ui/select-field.js';

const SORT_LABELS: Record<Sort, string> = { dueAt: 'Due date', priority: 'Priority', createdAt: 'Created', updatedAt: 'Updated', title: 'Title' };

interface Props {
  filters: TaskFilters;
  onChange: (f: TaskFilters) => void;
}

/** Search, filters and sort; every change goes to the URL. */
export function FilterBar({ filters, onChange }: Props) {
  const set = <K extends keyof TaskFilters>(key: K, value: TaskFilters[K]) => onChange({ ...filters, [key]: value });
  const active = [filters.priority.length > 0, filters.tags.length > 0, !!filters.dueFrom || !!filters.dueTo, filters.overdue, filters.recurring].filter(Boolean).length;
  return (
    <section className="filter-bar" aria-label="Find tasks">
      <div className="filter-main">
        <SearchBox value={filters.q} onChange={(q) => set('q', q)} />
        <SelectField inline label="Show" value={filters.status} onChange={(e) => set('status', e.target.value as StatusFilter)}>
            <option value="open">Open</option>
            <option value="completed">Completed</option>
            <option value="all">All</option>
        </SelectField>
        <SelectField inline label="Sort" value={filters.sort} onChange={(e) => set('sort', e.target.value as Sort | '')}>
            <option value="">{filters.q ? 'Best match' : 'Due date'}</option>
            {SORTS.map((s) => (
              <option key={s} value={s}>
                {SORT_LABELS[s]}
              </option>
            ))}
        </SelectField>
        <button
          type="button"
          className="icon-button bordered"
          onClick={() => set('order', filters.order === 'desc' ? 'asc' : 'desc')}
          aria-label={filters.order === 'desc' ? 'Order: descending. Switch to ascending' : 'Order: ascending. Switch to descending'}
          title={filters.order === 'desc' ? 'Descending' : 'Ascending'}
        >
          {filters.order === 'desc' ? '↓' : '↑'}
        </button>
      </div>
      <details className="filter-more" open={active > 0 ? true : undefined}>
        <summary>Filters{active > 0 ? ` (${active})` : ''}</summary>
        <div className="filter-grid">
          <fieldset className="row wrap">
            <legend>Priority</legend>
            {PRIORITIES.map((p) => (
              <label key={p} className="check">
                <input type="checkbox" checked={filters.priority.includes(p)} onChange={(e) => set('priority', toggle(filters.priority, p, e.target.checked))} />
                {p}
              </label>
            ))}
          </fieldset>
          <TagFilter filters={filters} onChange={onChange} />
          <fieldset className="row wrap">
            <legend>Due</legend>
            <label className="field inline">
              <span>From</span>
              <input type="date" value={filters.dueFrom} onChange={(e) => set('dueFrom', e.target.value)} />
            </label>
            <label className="field inline">
              <span>To</span>
              <input type="date" value={filters.dueTo} onChange={(e) => set('dueTo', e.target.value)} />
            </label>
            <label className="check">
              <input type="checkbox" checked={filters.overdue} onChange={(e) => set('overdue', e.target.checked)} />
              Overdue only
            </label>
            <label className="check">
              <input type="checkbox" checked={filters.recurring} onChange={(e) => set('recurring', e.target.checked)} />
              Recurring only
            </label>
          </fieldset>
          {hasActiveFilters(filters) && (
            <div>
              <button type="button" className="link-button" onClick={() => onChange({ ...DEFAULT_FILTERS, sort: filters.sort, order: filters.order })}>
                Clear filters
              </button>
            </div>
          )}
        </div>
      </details>
    </section>
  );
}

function toggle<T>(list: T[], item: T, on: boolean): T[] {
  return on ? [...list.filter((x) => x !== item), item] : list.filter((x) => x !== item);
}

function TagFilter({ filters, onChange }: Props) {
  const { data: tags } = useTags();
  if (!tags?.length) return null;
  return (
    <fieldset className="row wrap">
      <legend>Tags</legend>
      {tags.map((t) => (
        <label key={t.id} className="check">
          <input
            type="checkbox"
            checked={filters.tags.includes(t.name)}
            onChange={(e) => onChange({ ...filters, tags: toggle(filters.tags, t.name, e.target.checked) })}
          />
          <span className="swatch" style={{ background: t.color }} aria-hidden="true" />#{t.name}
        </label>
      ))}
      {filters.tags.length > 1 && (
        <SelectField inline label="Match" value={filters.tagMode} onChange={(e) => onChange({ ...filters, tagMode: e.target.value as 'any' | 'all' })}>
          <option value="any">any tag</option>
          <option value="all">all tags</option>
        </SelectField>
      )}
    </fieldset>
  );
}

/** Types freely; the URL (and the query) follow a moment after typing stops. */
function SearchBox({ value, onChange }: { value: string; onChange: (q: string) => void }) {
  const [text, setText] = useState(value);
  // When the URL changes from elsewhere (back button, "Clear filters"), show its search.
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    setShown(value);
    setText(value);
  }
  const latest = useRef(onChange);
  useEffect(() => {
    latest.current = onChange;
  }, [onChange]);
  useEffect(() => {
    if (text === value) return;
    const t = setTimeout(() => latest.current(text), 250);
    return () => clearTimeout(t);
  }, [text, value]);
  return (
    <label className="field search">
      <span className="sr-only">Search tasks</span>
      <input
        type="search"
        id="task-search"
        placeholder="Search tasks"
        aria-keyshortcuts="/"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') latest.current(text);
        }}
      />
    </label>
  );
}
