import { uuidv7 } from 'uuidv7';

/** Time-ordered UUIDs keep B-tree inserts local and make ids sortable by creation. */
export const newId = (): string => uuidv7();
