import { useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/endpoints.js';
import { refreshTaskLists } from '../api/refresh.js';
import { useMe } from '../session/session.js';
import { errorMessage } from '../ui/states.js';
import { useToast } from '../ui/toast.js';
import { parseQuickAdd, type QuickAddResult } from './quick-add.js';

const KIND_LABEL = { due: 'Due', priority: 'Priority', tag: 'Tag', recurrence: 'Repeats', reminder: 'Reminder' } as const;

/** One line that understands dates, "every …", #tags, !priority and reminders, showing what it understood as chips. */
export function QuickAdd() {
  const me = useMe();
  const client = useQueryClient();
  const toast = useToast();
  const [text, setText] = useState('');
  const parsed = useMemo(() => (text.trim() ? parseQuickAdd(text, { now: new Date(), timeZone: me.timeZone }) : null), [text, me.timeZone]);
  const create = useMutation({
    mutationFn: (p: QuickAddResult) =>
      api.createTask({
        title: p.title,
        timeZone: me.timeZone,
        ...(p.dueAt && { dueAt: p.dueAt }),
        ...(p.priority && { priority: p.priority }),
        ...(p.tags.length && { tags: p.tags }),
        ...(p.recurrence && { recurrence: p.recurrence }),
        ...(p.reminders.length && { reminders: p.reminders }),
      }),
    onSuccess: (task) => {
      setText('');
      client.setQueryData(['task', task.id], task);
      refreshTaskLists(client);
      toast(`Added “${task.title}”`);
    },
    onError: (e) => toast(errorMessage(e), { tone: 'error' }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (parsed && !create.isPending) create.mutate(parsed);
  };
  return (
    <form className="quick-add" onSubmit={submit} aria-label="Quick add">
      <div className="quick-add-row">
        <label htmlFor="quick-add" className="sr-only">
          New task
        </label>
        <input
          id="quick-add"
          autoComplete="off"
          placeholder="Add a task — e.g. Pay rent every month on the 1st 9am #home !high"
          aria-keyshortcuts="n"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-describedby="quick-add-parts"
          maxLength={500}
        />
        <button className="button primary" disabled={!parsed || create.isPending}>
          {create.isPending ? 'Adding…' : 'Add'}
        </button>
      </div>
      <div id="quick-add-parts" className="chips" aria-live="polite">
        {parsed && parsed.parts.length > 0 && (
          <>
            <span className="sr-only">Understood: </span>
            <span className="chip chip-title" data-kind="title">
              {parsed.title}
            </span>
            {parsed.parts.map((p) => (
              <span key={`${p.kind}-${p.start}`} className={`chip chip-${p.kind}`} data-kind={p.kind} title={`${KIND_LABEL[p.kind]}: “${p.text.trim()}”`}>
                {p.label}
              </span>
            ))}
          </>
        )}
      </div>
    </form>
  );
}
