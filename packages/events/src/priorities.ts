/**
 * Task priorities, lowest first. The database enum is declared in this order, so ORDER BY priority
 * sorts low < medium < high < urgent. No imports: the web app loads this file as it is.
 */
export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];
