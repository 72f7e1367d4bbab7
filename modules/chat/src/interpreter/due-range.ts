import { addDays, instantOf, wallOf, weekdayOf } from '@taskstream/time';
import type { ListFilter } from './intent.js';

/** [from, to) of "today", "this week" (to Sunday night) … in the user's zone. */
export function dueRange(due: NonNullable<ListFilter['due']>, now: Date, zone: string): { from: Date; to: Date } {
  const today = { ...wallOf(now, zone), hour: 0, minute: 0 };
  const toMonday = ((8 - weekdayOf(today)) % 7) || 7;
  const at = (days: number) => instantOf(addDays(today, days), zone);
  switch (due) {
    case 'today': return { from: at(0), to: at(1) };
    case 'tomorrow': return { from: at(1), to: at(2) };
    case 'this week': return { from: at(0), to: at(toMonday) };
    case 'next week': return { from: at(toMonday), to: at(toMonday + 7) };
    case 'this month': {
      const first = { ...today, day: 1, month: today.month === 12 ? 1 : today.month + 1, year: today.month === 12 ? today.year + 1 : today.year };
      return { from: at(0), to: instantOf(first, zone) };
    }
  }
}
