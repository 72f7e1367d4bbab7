import { DomainError, type FieldError } from '@taskstream/errors';

export type { FieldError };

/** A failure the caller can fix; `code` is stable and documented, the message says what is wrong. */
export class TaskError extends DomainError {
  declare readonly kind: 'not_found' | 'validation' | 'conflict';

  constructor(kind: 'not_found' | 'validation' | 'conflict', code: string, message: string, errors: FieldError[] = []) {
    super(kind, code, message, errors);
    this.name = 'TaskError';
  }
}

export const notFound = (what: 'task' | 'tag' | 'series', id: string) =>
  new TaskError('not_found', `${what}_not_found`, `No ${what} with id ${id}.`);

export const invalid = (path: string, message: string, code = 'validation_failed') =>
  new TaskError('validation', code, message, [{ path, message }]);
