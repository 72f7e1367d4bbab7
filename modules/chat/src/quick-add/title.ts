import type { Scan } from './scan.js';

const LEADING = /^(?:(?:on|at|by|due|starting|from|and|with|every)\s+|[,;:–—-]\s*)+/iu;
const TRAILING = /(?:\s+(?:on|at|by|due|starting|from|and|with|every)|\s*[,;:–—-])+$/iu;

/** What is left of the text once the recognised parts are cut out. */
export function titleOf(scan: Scan): string {
  return scan.masked().replace(/\s+/g, ' ').trim().replace(LEADING, '').replace(TRAILING, '').trim();
}

/** Widens a date phrase over a preposition just before it ("due friday", "on monday"). */
export function withPreposition(text: string, start: number): number {
  const before = /(?:^|\s)((?:due(?:\s+(?:on|by|at))?|on|at|by|before|starting|from)\s+)$/iu.exec(text.slice(0, start));
  return before?.[1] ? start - before[1].length : start;
}
