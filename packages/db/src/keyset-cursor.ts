/** A keyset-pagination cursor: the position after the last row of a page, as opaque base64url JSON. */
export const encodeKeysetCursor = (position: unknown): string => Buffer.from(JSON.stringify(position)).toString('base64url');

/**
 * The position a cursor holds when `schema` accepts it; undefined for anything else (not a cursor
 * this list handed out), which each list reports as its own 400.
 */
export function decodeKeysetCursor<T>(cursor: string, schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
