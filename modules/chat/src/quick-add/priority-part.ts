import type { QuickAddPriority } from './quick-add-types.js';
import type { Scan } from './scan.js';

// Todoist's numbering: 1 is the most pressing.
const BY_NUMBER: Record<string, QuickAddPriority> = { '1': 'urgent', '2': 'high', '3': 'medium', '4': 'low' };
const BY_WORD: Record<string, QuickAddPriority> = {
  urgent: 'urgent', high: 'high', medium: 'medium', med: 'medium', normal: 'medium', low: 'low',
};

const PATTERNS: RegExp[] = [
  /(?<=^|\s)!(urgent|high|medium|med|normal|low|[1-4])(?=$|[\s,.;])/giu,
  /(?<=^|\s)p([1-4])(?=$|[\s,.;])/giu,
  /\b(urgent|high|medium|low)[ -]priority\b/giu,
  /\bpriority[ :=]+(urgent|high|medium|normal|low|[1-4])\b/giu,
];

function priorityOf(word: string): QuickAddPriority | undefined {
  const key = word.toLowerCase();
  return BY_NUMBER[key] ?? BY_WORD[key];
}

/** "!high", "!1", "p1", "high priority", "priority: low"; the last one given wins. */
export function extractPriority(scan: Scan): QuickAddPriority | null {
  const found: Array<{ index: number; priority: QuickAddPriority }> = [];
  for (const pattern of PATTERNS) {
    for (const match of scan.masked().matchAll(pattern)) {
      const priority = priorityOf(match[1] ?? '');
      const end = match.index + match[0].length;
      if (priority === undefined || !scan.isFree(match.index, end)) continue;
      scan.take('priority', match.index, end, `Priority: ${priority}`);
      found.push({ index: match.index, priority });
    }
  }
  found.sort((a, b) => a.index - b.index);
  return found.at(-1)?.priority ?? null;
}
