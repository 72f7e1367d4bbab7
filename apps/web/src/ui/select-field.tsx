import { useId, type SelectHTMLAttributes } from 'react';

/**
 * A select with a label beside it rather than around it: a wrapping label would make the
 * options' text part of the field's accessible name.
 */
export function SelectField({ label, inline, hint, children, ...select }: SelectHTMLAttributes<HTMLSelectElement> & { label: string; inline?: boolean; hint?: string | undefined }) {
  const id = useId();
  const hintId = useId();
  return (
    <div className={`field${inline ? ' inline' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <select id={id} aria-describedby={hint ? hintId : undefined} {...select}>
        {children}
      </select>
      {hint && (
        <small id={hintId} className="muted">
          {hint}
        </small>
      )}
    </div>
  );
}
