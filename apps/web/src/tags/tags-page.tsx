import { useEffect, useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/endpoints.js';
import type { Tag } from '../api/types.js';
import { Link } from '../lib/router.js';
import { EmptyState, ErrorState, errorMessage, Loading } from '../ui/states.js';
import { useToast } from '../ui/toast.js';
import { useTags } from './use-tags.js';

export function TagsPage() {
  const tags = useTags();
  return (
    <main className="page narrow" id="main">
      <h1>Tags</h1>
      {tags.isPending && <Loading label="Loading tags…" />}
      {tags.isError && <ErrorState error={tags.error} what="your tags" onRetry={() => void tags.refetch()} />}
      {tags.data?.length === 0 && (
        <EmptyState title="No tags yet.">
          <p className="muted">
            Add one to a task with <kbd>#name</kbd> in quick add, or in the task’s panel.
          </p>
        </EmptyState>
      )}
      {tags.data && tags.data.length > 0 && (
        <ul className="tag-list" aria-label="Tags">
          {tags.data.map((t) => (
            <TagRow key={`${t.id}:${t.updatedAt}`} tag={t} />
          ))}
        </ul>
      )}
    </main>
  );
}

function TagRow({ tag }: { tag: Tag }) {
  const client = useQueryClient();
  const toast = useToast();
  const [name, setName] = useState(tag.name);
  const [color, setColor] = useState(tag.color);
  const [confirming, setConfirming] = useState(false);
  const refresh = () => {
    for (const key of ['tags', 'tasks', 'task']) void client.invalidateQueries({ queryKey: [key] });
  };
  const update = useMutation({
    mutationFn: (patch: { name: string }) => api.updateTag(tag.id, patch),
    onSuccess: refresh,
    onError: (e) => {
      setName(tag.name);
      toast(errorMessage(e), { tone: 'error' });
    },
  });
  const { mutate: saveColor } = useMutation({
    mutationFn: (next: string) => api.updateTag(tag.id, { color: next }),
    // Tasks carry tag names only; every chip reads its colour from the tags query (useTagColors).
    onSuccess: () => void client.invalidateQueries({ queryKey: ['tags'] }),
    onError: (e) => {
      setColor(tag.color);
      toast(errorMessage(e), { tone: 'error' });
    },
  });
  // While the picker is dragged, React's onChange fires on every input event: it only moves the
  // swatch. The colour is saved once, on the native change event, when the picker commits it.
  const colorInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const input = colorInput.current;
    if (!input) return;
    const commit = () => {
      if (input.value !== tag.color) saveColor(input.value);
    };
    input.addEventListener('change', commit);
    return () => input.removeEventListener('change', commit);
  }, [tag.color, saveColor]);
  const remove = useMutation({
    mutationFn: () => api.deleteTag(tag.id),
    onSuccess: () => {
      refresh();
      toast(`Deleted #${tag.name}; its tasks are kept.`);
    },
    onError: (e) => toast(errorMessage(e), { tone: 'error' }),
  });
  const rename = () => {
    const next = name.trim().replace(/^#/, '');
    if (next && next !== tag.name) update.mutate({ name: next });
    else setName(tag.name);
  };
  return (
    <li className="tag-row">
      <input
        type="color"
        ref={colorInput}
        value={color}
        aria-label={`Colour of #${tag.name}`}
        onChange={(e) => setColor(e.target.value)}
        className="color-input"
      />
      <form
        className="tag-name"
        onSubmit={(e) => {
          e.preventDefault();
          rename();
        }}
      >
        <label className="sr-only" htmlFor={`tag-${tag.id}`}>
          Name of #{tag.name}
        </label>
        <input id={`tag-${tag.id}`} value={name} onChange={(e) => setName(e.target.value)} onBlur={rename} maxLength={40} />
      </form>
      <Link className="muted tag-count" to={`/?tags=${encodeURIComponent(tag.name)}&status=all`}>
        {tag.openTaskCount} open · {tag.taskCount} total
      </Link>
      {confirming ? (
        <span className="row">
          <button type="button" className="button danger" onClick={() => remove.mutate()}>
            Delete #{tag.name}
          </button>
          <button type="button" className="button" onClick={() => setConfirming(false)}>
            Keep
          </button>
        </span>
      ) : (
        <button type="button" className="button danger-outline" onClick={() => setConfirming(true)} aria-label={`Delete #${tag.name}`}>
          Delete
        </button>
      )}
    </li>
  );
}
