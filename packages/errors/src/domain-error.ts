/** One failing input field: where (`title`, `reminders.0.offsetMinutes`) and what is wrong with it. */
export interface FieldError {
  path: string;
  message: string;
}

/**
 * What kind of failure a command reports; the transport picks its status from this alone
 * (HTTP: not_found 404, validation 422, conflict 409, upstream 502).
 */
export type DomainErrorKind = 'not_found' | 'validation' | 'conflict' | 'upstream';

/**
 * The one shape every module's failures take, so a transport maps them without knowing each
 * module: a kind, a stable documented `code`, a message that says what is wrong, and for
 * validation the failing fields.
 */
export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
