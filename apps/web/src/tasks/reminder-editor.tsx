import type { ReminderDraft } from './task-draft.js';

const MAX_REMINDERS = 10;

/** Reminders relative to the due time ("30 minutes before") or at a fixed time, in the task's zone. */
export function ReminderEditor({ value, onChange, hasDue, zone }: { value: ReminderDraft[]; onChange: (r: ReminderDraft[]) => void; hasDue: boolean; zone: string }) {
  const set = (i: number, r: ReminderDraft) => onChange(value.map((x, j) => (j === i ? r : x)));
  return (
    <fieldset className="stack-tight">
      <legend>Reminders</legend>
      {value.length === 0 && <p className="muted">No reminders.</p>}
      {value.map((r, i) => (
        <div key={i} className="row wrap reminder-row">
          <label className="sr-only" htmlFor={`reminder-kind-${i}`}>
            Reminder {i + 1} type
          </label>
          <select
            id={`reminder-kind-${i}`}
            value={r.kind}
            onChange={(e) => set(i, e.target.value === 'at' ? { kind: 'at', at: '' } : { kind: 'before', amount: 30, unit: 'minutes' })}
          >
            <option value="before">Before the due time</option>
            <option value="at">At a set time</option>
          </select>
          {r.kind === 'before' ? (
            <>
              <input
                type="number"
                min={0}
                max={525600}
                className="narrow-input"
                aria-label={`Reminder ${i + 1} amount`}
                value={r.amount}
                onChange={(e) => set(i, { ...r, amount: Math.max(0, Number(e.target.value) || 0) })}
              />
              <select aria-label={`Reminder ${i + 1} unit`} value={r.unit} onChange={(e) => set(i, { ...r, unit: e.target.value as typeof r.unit })}>
                <option value="minutes">minutes</option>
                <option value="hours">hours</option>
                <option value="days">days</option>
              </select>
            </>
          ) : (
            <input type="datetime-local" aria-label={`Reminder ${i + 1} time (${zone})`} value={r.at} required onChange={(e) => set(i, { kind: 'at', at: e.target.value })} />
          )}
          <button type="button" className="icon-button" aria-label={`Remove reminder ${i + 1}`} onClick={() => onChange(value.filter((_, j) => j !== i))}>
            ×
          </button>
        </div>
      ))}
      {!hasDue && value.some((r) => r.kind === 'before') && <p className="hint">A reminder before the due time needs a due date to fire.</p>}
      {value.length < MAX_REMINDERS && (
        <div>
          <button type="button" className="link-button" onClick={() => onChange([...value, hasDue ? { kind: 'before', amount: 30, unit: 'minutes' } : { kind: 'at', at: '' }])}>
            + Add reminder
          </button>
        </div>
      )}
    </fieldset>
  );
}
