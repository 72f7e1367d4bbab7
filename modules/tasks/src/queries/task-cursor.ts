import { z } from 'zod';
import { invalid } from '../errors.js';

const CursorTuple = z.tuple([z.string().max(200).nullable(), z.string().max(100)]);

/** A position in a sorted list: the sort key as Postgres printed it (exact), and the id. */
export interface Cursor {
  key: string | null;
  id: string;
}

export const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify([c.key, c.id])).toString('base64url');

export function decodeCursor(s: string): Cursor {
  try {
    const parsed = CursorTuple.safeParse(JSON.parse(Buffer.from(s, 'base64url').toString('utf8')));
    if (parsed.success) return { key: parsed.data[0], id: parsed.data[1] };
  } catch {
    // fall through to the error below
  }
  throw invalid('cursor', 'is not a cursor returned by this list; start again without it', 'invalid_cursor');
}
