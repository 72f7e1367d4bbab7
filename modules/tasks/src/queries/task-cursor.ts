import { z } from 'zod';
import { decodeKeysetCursor, encodeKeysetCursor, isUuid } from '@taskstream/db';
import { invalid } from '../errors.js';

const CursorTuple = z.tuple([z.string().max(20), z.enum(['asc', 'desc']), z.string().max(2000).nullable(), z.string().refine(isUuid)]);

/**
 * A position in a sorted list: the order it belongs to (sort and direction), the sort key as
 * Postgres printed it (exact), and the id. The order travels with it because a key only means
 * something to the sort that printed it.
 */
export interface Cursor {
  sort: string;
  order: 'asc' | 'desc';
  key: string | null;
  id: string;
}

export const encodeCursor = (c: Cursor): string => encodeKeysetCursor([c.sort, c.order, c.key, c.id]);

const refuse = (why: string) => invalid('cursor', `${why}; start again without it`, 'invalid_cursor');

/**
 * The position of `s` in the list ordered by `sort` and `order`, or an `invalid_cursor` error for
 * anything else: not a cursor, one of another order, or a key the sort's column could not hold.
 */
export function decodeCursor(s: string, sort: { name: string; nullable: boolean; keySchema: z.ZodType<string> }, order: 'asc' | 'desc'): Cursor {
  const tuple = decodeKeysetCursor(s, CursorTuple);
  if (!tuple) throw refuse('is not a cursor returned by this list');
  const [cursorSort, cursorOrder, key, id] = tuple;
  if (cursorSort !== sort.name || cursorOrder !== order) {
    throw refuse('was returned for another sort or order than this request asks for (pass the same sort, order and q)');
  }
  const keyFits = key === null ? sort.nullable : sort.keySchema.safeParse(key).success;
  if (!keyFits) throw refuse('is not a cursor returned by this list');
  return { sort: cursorSort, order: cursorOrder, key, id };
}
