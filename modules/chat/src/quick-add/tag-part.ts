import type { Scan } from './scan.js';

const MAX_TAG = 40;
// A tag needs a letter, so "issue #123" keeps its number.
const TAG = /(?<=^|\s)#([\p{L}\p{N}_\-/.]*\p{L}[\p{L}\p{N}_\-/.]*)/gu;

/** "#home", "#deep-work"; duplicates (ignoring case) are listed once. */
export function extractTags(scan: Scan): string[] {
  const tags: string[] = [];
  for (const match of scan.masked().matchAll(TAG)) {
    const name = (match[1] ?? '').replace(/[.\-/]+$/u, '');
    if (name.length === 0 || name.length > MAX_TAG) continue;
    const end = match.index + 1 + name.length;
    if (!scan.isFree(match.index, end)) continue;
    scan.take('tag', match.index, end, `#${name}`);
    if (!tags.some((t) => t.toLowerCase() === name.toLowerCase())) tags.push(name);
  }
  return tags;
}
