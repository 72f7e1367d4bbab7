// The one import of the quick-add parser in the web UI: the same parser the chat interpreter
// uses (@taskstream/chat/quick-add is browser-safe: chrono-node and luxon, no Node APIs).
export { parseQuickAdd } from '@taskstream/chat/quick-add';
export type { QuickAddPart, QuickAddResult } from '@taskstream/chat/quick-add';
