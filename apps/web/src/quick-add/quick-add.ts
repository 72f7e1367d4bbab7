// The one import of the quick-add parser in the web UI. The chat interpreter's parser
// (@taskstream/chat/quick-add) has the same signature; until it is in this build, a small local
// stand-in parses the same syntax, and switching is this one line.
export { parseQuickAdd } from './interim-quick-add.js';
export type { QuickAddPart, QuickAddResult } from './quick-add-types.js';
