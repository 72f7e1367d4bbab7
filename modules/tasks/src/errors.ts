export interface FieldError {
  path: string;
  message: string;
}

/** A failure the caller can fix; `code` is stable and documented, the message says what is wrong. */
export class TaskError extends Error {
  constructor(
    readonly kind: 'not_found' | 'validation' | 'conflict',
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'TaskError';
  }
}

export const notFound = (what: 'task' | 'tag' | 'series', id: string) =>
  new TaskError('not_found', `${what}_not_found`, `No ${what} with id ${id}.`);

export const invalid = (path: string, message: string, code = 'validation_failed') =>
  new TaskError('validation', code, message, [{ path, message }]);
