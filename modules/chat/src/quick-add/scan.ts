import type { QuickAddPart, QuickAddPartKind } from './quick-add-types.js';

/**
 * The input with the spans already recognised. Extractors look at `masked()`
 * (taken characters blanked, so indexes stay those of the original text).
 */
export class Scan {
  private readonly taken: boolean[];
  readonly parts: QuickAddPart[] = [];

  constructor(readonly text: string) {
    this.taken = Array.from({ length: text.length }, () => false);
  }

  isFree(start: number, end: number): boolean {
    for (let i = start; i < end; i++) if (this.taken[i]) return false;
    return true;
  }

  take(kind: QuickAddPartKind, start: number, end: number, label: string): void {
    for (let i = start; i < end; i++) this.taken[i] = true;
    this.parts.push({ kind, text: this.text.slice(start, end), start, end, label });
  }

  masked(): string {
    // By UTF-16 unit, as the indexes are: Array.from(text) walks code points, so an emoji shifted every later blank.
    let masked = '';
    for (let i = 0; i < this.text.length; i++) masked += this.taken[i] ? ' ' : this.text[i];
    return masked;
  }

  /**
   * The text with each taken run squeezed to one space, and for each of its
   * characters the index in the original, so a date split by a tag
   * ("tomorrow #home 5pm") still reads as one phrase.
   */
  compact(): { text: string; origin: number[] } {
    let text = '';
    const origin: number[] = [];
    for (let i = 0; i < this.text.length; i++) {
      if (this.taken[i]) {
        if (i > 0 && this.taken[i - 1]) continue;
        text += ' ';
      } else {
        text += this.text[i];
      }
      origin.push(i);
    }
    return { text, origin };
  }

  /** The untaken stretches of [start, end), trimmed of spaces. */
  freeSegments(start: number, end: number): Array<[number, number]> {
    const segments: Array<[number, number]> = [];
    let i = start;
    while (i < end) {
      while (i < end && (this.taken[i] || /\s/.test(this.text[i] ?? ''))) i++;
      let j = i;
      while (j < end && !this.taken[j]) j++;
      let k = j;
      while (k > i && /\s/.test(this.text[k - 1] ?? '')) k--;
      if (k > i) segments.push([i, k]);
      i = j;
    }
    return segments;
  }
}
