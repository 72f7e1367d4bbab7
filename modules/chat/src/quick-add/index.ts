/*
 * The quick-add parser, shared by the web UI and the chat interpreter.
 * Browser-safe: no Node APIs, no database; only chrono-node and luxon.
 */
export { parseQuickAdd } from './parse-quick-add.js';
export type {
  QuickAddOptions,
  QuickAddPart,
  QuickAddPartKind,
  QuickAddPriority,
  QuickAddRecurrence,
  QuickAddReminder,
  QuickAddResult,
} from './quick-add-types.js';
