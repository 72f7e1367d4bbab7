import { z } from 'zod';
import { decodeKeysetCursor, encodeKeysetCursor } from '@taskstream/db';
import { invalid } from '../errors.js';

const CursorTuple = z.tuple([z.string().max(200).nullable(), z.string().max(100)]);

/** A position in a sorted list: the sort key as Postgres printed it (exact), and the id. */
export interface Cursor {
  key: string | null;
  id: string;
}

export const encodeCursor = (c: Cursor): string => encodeKeysetCursor([c.key, c.id]);

export function decodeCursor(s: string): Cursor {
  const tuple = decodeKeysetCursor(s, CursorTuple);
  if (tuple) return { key: tuple[0], id: tuple[1] };
  throw invalid('cursor', 'is not a cursor returned by this list; start again without it', 'invalid_cursor');
}
