import { useMemo } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../api/endpoints.js';
import { formatDateTime } from '../lib/time.js';
import { useDebounced } from '../lib/use-debounced.js';
import { SelectField } from '../ui/select-field.js';
import { errorMessage } from '../ui/states.js';
import { newRecurrence, recurrenceInput, type RecurrenceDraft } from './task-draft.js';

const MODES: [RecurrenceDraft['mode'] | 'none', string][] = [
  ['none', 'Does not repeat'],
  ['daily', 'Every day'],
  ['weekdays', 'Every weekday (Mon–Fri)'],
  ['weekly', 'Every week'],
  ['monthly', 'Every month'],
  ['yearly', 'Every year'],
  ['rrule', 'Custom rule (RRULE)'],
  ['cron', 'Cron expression'],
];

interface Props {
  value: RecurrenceDraft | null;
  onChange: (r: RecurrenceDraft | null) => void;
  due: string;
  zone: string;
}

/** Presets, a custom RRULE or cron, repeat from due or completion, an end; previewed in words and dates. */
export function RecurrenceEditor({ value, onChange, due, zone }: Props) {
  const set = <K extends keyof RecurrenceDraft>(key: K, v: RecurrenceDraft[K]) => value && onChange({ ...value, [key]: v });
  return (
    <fieldset className="stack-tight recurrence-editor">
      <legend>Repeat</legend>
      <select
        aria-label="Repeat"
        value={value?.mode ?? 'none'}
        onChange={(e) => {
          const mode = e.target.value as RecurrenceDraft['mode'] | 'none';
          if (mode === 'none') return onChange(null);
          const base = value ?? newRecurrence(mode);
          const text = mode === 'rrule' || mode === 'cron' ? (base.mode === mode ? base.text : newRecurrence(mode).text) : '';
          onChange({ ...base, mode, text });
        }}
      >
        {MODES.map(([mode, label]) => (
          <option key={mode} value={mode}>
            {label}
          </option>
        ))}
      </select>
      {value && (value.mode === 'rrule' || value.mode === 'cron') && (
        <label className="field">
          <span>{value.mode === 'rrule' ? 'RRULE' : 'Cron (minute hour day month weekday)'}</span>
          <input
            className="mono"
            value={value.text}
            spellCheck={false}
            placeholder={value.mode === 'rrule' ? 'FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1' : '0 9 * * 1-5'}
            onChange={(e) => set('text', e.target.value)}
          />
        </label>
      )}
      {value && (
        <>
          <div className="row wrap" role="radiogroup" aria-label="Repeat from">
            <label className="check">
              <input type="radio" name="repeat-from" checked={value.repeatFrom === 'due'} onChange={() => set('repeatFrom', 'due')} />
              On schedule
            </label>
            <label className="check">
              <input type="radio" name="repeat-from" checked={value.repeatFrom === 'completion'} onChange={() => set('repeatFrom', 'completion')} />
              From when I complete it
            </label>
          </div>
          <div className="row wrap">
            <SelectField inline label="Ends" value={value.end} onChange={(e) => set('end', e.target.value as RecurrenceDraft['end'])}>
              <option value="never">never</option>
              <option value="count">after a number of times</option>
              <option value="until">on a date</option>
            </SelectField>
            {value.end === 'count' && (
              <input
                type="number"
                min={1}
                max={1000}
                className="narrow-input"
                aria-label="Number of times"
                value={value.count}
                onChange={(e) => set('count', Math.min(1000, Math.max(1, Number(e.target.value) || 1)))}
              />
            )}
            {value.end === 'until' && <input type="date" aria-label="Last date" value={value.until} onChange={(e) => set('until', e.target.value)} />}
          </div>
          <RecurrencePreview value={value} due={due} zone={zone} />
        </>
      )}
    </fieldset>
  );
}

type PreviewQuery = Parameters<typeof api.previewRecurrence>[0];

/** What the preview asks for: the recurrence as it would be saved, from the due date (or now), in the zone. */
function previewQuery(value: RecurrenceDraft, due: string, zone: string): PreviewQuery {
  const { rule, repeatFrom, count, until } = recurrenceInput(value);
  return { rule, zone, repeatFrom, ...(due && { start: due }), ...(count !== undefined && { ruleCount: count }), ...(until && { until }) };
}

function RecurrencePreview({ value, due, zone }: { value: RecurrenceDraft; due: string; zone: string }) {
  // Debounced as a string: a new object every render would restart the debounce, and redraw, forever.
  const settled = useDebounced(JSON.stringify(previewQuery(value, due, zone)));
  const params = useMemo(() => JSON.parse(settled) as PreviewQuery, [settled]);
  const preview = useQuery({
    queryKey: ['preview', params],
    queryFn: ({ signal }) => api.previewRecurrence(params, signal),
    enabled: params.rule.length > 0,
    retry: false,
    placeholderData: keepPreviousData,
  });
  return (
    <div className="preview" aria-live="polite" data-testid="recurrence-preview">
      {!params.rule && <p className="muted">Type a rule to see when it repeats.</p>}
      {preview.isError && <p className="form-error">{errorMessage(preview.error)}</p>}
      {preview.data && !preview.isError && (
        <>
          <p className="preview-sentence">
            Repeats <strong>{preview.data.description}</strong>
            {value.repeatFrom === 'completion' && ', counted from each completion'}.
          </p>
          {preview.data.occurrences.length > 0 ? (
            <>
              <p className="muted">{due ? 'Next dates:' : 'Next dates if it started now:'}</p>
              <ol className="occurrences">
                {preview.data.occurrences.map((o) => (
                  <li key={o}>{formatDateTime(o, zone)}</li>
                ))}
              </ol>
            </>
          ) : (
            <p className="muted">No further dates: the series has ended.</p>
          )}
        </>
      )}
    </div>
  );
}
