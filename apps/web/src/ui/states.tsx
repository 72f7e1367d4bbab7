import type { ReactNode } from 'react';
import { ApiError } from '../api/client.js';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children}
    </div>
  );
}

/** Says what went wrong in words a person can act on, and offers to try again. */
export function ErrorState({ error, onRetry, what = 'this' }: { error: unknown; onRetry?: () => void; what?: string }) {
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">Could not load {what}.</p>
      <p>{errorMessage(error)}</p>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = error.errors.map((e) => `${e.path.replace(/^(body|query)\./, '')} ${e.message}`);
    return fields.length ? fields.join('; ') : error.message;
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
}
