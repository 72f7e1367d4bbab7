/** An error as one line for logs and dead-letter records: `Name: message`. */
export const errorText = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));
