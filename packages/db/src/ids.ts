import { uuidv7 } from 'uuidv7';

/** Time-ordered UUIDs keep B-tree inserts local and make ids sortable by creation. */
export const newId = (): string => uuidv7();

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids in URLs are checked before they reach SQL, so a malformed one is simply "not found". */
export const isUuid = (s: string): boolean => uuid.test(s);
