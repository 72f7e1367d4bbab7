import type { TaskRef } from './intent.js';

const ORDINALS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10, last: -1,
  '1st': 1, '2nd': 2, '3rd': 3, '4th': 4, '5th': 5, one: 1, two: 2, three: 3, four: 4, five: 5,
};

/** "the first one", "number 2", "#3", "2" → 2; "the last one" → -1. */
export function ordinalOf(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  const word = /^(?:the\s+)?(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|1st|2nd|3rd|4th|5th)(?:\s+(?:one|task|item))?$/.exec(t);
  if (word?.[1]) return ORDINALS[word[1]];
  const number = /^(?:(?:number|no\.?|option|task|item)\s*|#)?(\d{1,2}|one|two|three|four|five)$/.exec(t);
  if (number?.[1]) return ORDINALS[number[1]] ?? Number(number[1]);
  return undefined;
}

/** Strips the words around a task's name: `the "tax report" task` → `tax report`. */
function cleanRefText(text: string): string {
  let t = text.trim().replace(/[?.!]+$/, '').trim();
  t = t.replace(/^(?:the\s+)?(?:task|todo|to-do|item)\s+(?:called|named|titled)\s+/i, '');
  t = t.replace(/^(?:(?:the|my|a|an|that|this)\s+)+/i, '');
  t = t.replace(/\s+(?:task|todo|to-do|item)$/i, '');
  t = t.replace(/^(?:task|todo)\s*:?\s+/i, '');
  return t.replace(/^["'“‘](.*)["'”’]$/u, '$1').trim();
}

export function refOf(text: string): TaskRef {
  const t = text.trim().toLowerCase().replace(/[?.!]+$/, '');
  if (/^(?:it|that|this|that one|this one|that task|this task|them)$/.test(t)) return { it: true };
  const ordinal = ordinalOf(t);
  if (ordinal !== undefined) return { ordinal };
  return { text: cleanRefText(text) };
}
