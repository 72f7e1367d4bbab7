import { invalid } from '../errors.js';

/** A position in a sorted list: the sort key as Postgres printed it (exact), and the id. */
export interface Cursor {
  key: string | null;
  id: string;
}

export const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify([c.key, c.id])).toString('base64url');

export function decodeCursor(s: string): Cursor {
  try {
    const v: unknown = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && (typeof v[0] === 'string' || v[0] === null) && typeof v[1] === 'string') {
      return { key: v[0], id: v[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw invalid('cursor', 'is not a cursor returned by this list; start again without it', 'invalid_cursor');
}
