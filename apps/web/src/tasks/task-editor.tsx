import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/endpoints.js';
import { refreshTaskLists } from '../api/refresh.js';
import { PRIORITIES, type Status, type Task } from '../api/types.js';
import { TimeZoneSelect } from '../account/time-zone-select.js';
import { SelectField } from '../ui/select-field.js';
import { errorMessage } from '../ui/states.js';
import { useToast } from '../ui/toast.js';
import { RecurrenceEditor } from './recurrence-editor.js';
import { ReminderEditor } from './reminder-editor.js';
import { draftFromTask, inputFromDraft, type TaskDraft } from './task-draft.js';
import { TagInput } from './tag-input.js';

/**
 * The edit form. A change that arrives live from another tab redraws it, unless this form has
 * unsaved edits: those are kept, with a note that saving overwrites the other change.
 */
export function TaskEditor({ task, onDone }: { task: Task; onDone: () => void }) {
  const client = useQueryClient();
  const toast = useToast();
  const [draft, setDraft] = useState<TaskDraft>(() => draftFromTask(task));
  const [base, setBase] = useState(task);
  const [changedElsewhere, setChangedElsewhere] = useState(false);
  const dirty = JSON.stringify(draft) !== JSON.stringify(draftFromTask(base));
  if (task.version !== base.version) {
    setBase(task);
    if (dirty) setChangedElsewhere(true);
    else setDraft(draftFromTask(task));
  }
  const [error, setError] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const set = <K extends keyof TaskDraft>(key: K, value: TaskDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const refresh = () => {
    refreshTaskLists(client);
    void client.invalidateQueries({ queryKey: ['history'] });
  };

  const save = useMutation({
    mutationFn: () => api.updateTask(task.id, inputFromDraft(draft)),
    onSuccess: (updated) => {
      setDraft(draftFromTask(updated));
      setBase(updated);
      setChangedElsewhere(false);
      client.setQueryData(['task', updated.id], updated);
      refresh();
      toast('Saved');
    },
    onError: (e) => setError(errorMessage(e)),
  });
  const remove = useMutation({
    mutationFn: () => api.deleteTask(task.id),
    onSuccess: () => {
      client.removeQueries({ queryKey: ['task', task.id] });
      refresh();
      toast(`Deleted “${task.title}”`);
      onDone();
    },
    onError: (e) => setError(errorMessage(e)),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    save.mutate();
  };

  return (
    <form className="stack editor" onSubmit={submit} aria-label="Edit task">
      <label className="field">
        <span>Title</span>
        <input value={draft.title} onChange={(e) => set('title', e.target.value)} required maxLength={500} />
      </label>
      <label className="field">
        <span>Description</span>
        <textarea rows={3} value={draft.description} onChange={(e) => set('description', e.target.value)} maxLength={10000} />
      </label>
      <div className="row wrap">
        <SelectField inline label="Priority" value={draft.priority} onChange={(e) => set('priority', e.target.value as TaskDraft['priority'])}>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
        </SelectField>
        <SelectField inline label="Status" value={draft.status} onChange={(e) => set('status', e.target.value as Status)}>
          <option value="open">open</option>
          <option value="in_progress">in progress</option>
          <option value="completed">completed</option>
        </SelectField>
      </div>
      <TagInput value={draft.tags} onChange={(tags) => set('tags', tags)} />
      <div className="row wrap align-end">
        <label className="field inline">
          <span>Due</span>
          <input type="datetime-local" value={draft.due} onChange={(e) => set('due', e.target.value)} aria-describedby="due-zone" />
        </label>
        {draft.due && (
          <button type="button" className="link-button" onClick={() => set('due', '')}>
            Clear
          </button>
        )}
      </div>
      <details className="zone-details">
        <summary id="due-zone">Time zone: {draft.timeZone.replaceAll('_', ' ')}</summary>
        <TimeZoneSelect label="Time zone of this task" value={draft.timeZone} onChange={(z) => set('timeZone', z)} />
      </details>
      <ReminderEditor value={draft.reminders} onChange={(r) => set('reminders', r)} hasDue={!!draft.due} zone={draft.timeZone} />
      <RecurrenceEditor value={draft.recurrence} onChange={(r) => set('recurrence', r)} due={draft.due} zone={draft.timeZone} />
      {changedElsewhere && (
        <p className="hint" role="status">
          This task was changed elsewhere while you were editing. Saving keeps your version.
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="row wrap editor-actions">
        <button className="button primary" disabled={!dirty || save.isPending}>
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button" onClick={onDone}>
          {dirty ? 'Discard' : 'Close'}
        </button>
        <span className="spacer" />
        {confirmDelete ? (
          <>
            <button type="button" className="button danger" onClick={() => remove.mutate()} disabled={remove.isPending}>
              Delete for good
            </button>
            <button type="button" className="button" onClick={() => setConfirmDelete(false)}>
              Keep
            </button>
          </>
        ) : (
          <button type="button" className="button danger-outline" onClick={() => setConfirmDelete(true)}>
            Delete
          </button>
        )}
      </div>
    </form>
  );
}
