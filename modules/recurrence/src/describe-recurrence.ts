import { toString as describeCron } from 'cronstrue';
import { describeRrule } from './describe-rrule.js';
import { assertTimeZone } from './is-valid-time-zone.js';
import type { Recurrence } from './recurrence.js';
import { anchorWallClock } from './walk-series.js';
import { toWallClock } from '@taskstream/time';

export interface DescribeRecurrenceArgs {
  recurrence: Recurrence;
  anchor: Date;
  zone: string;
}

function endPhrase(recurrence: Recurrence, zone: string): string {
  const ends: string[] = [];
  if (recurrence.count !== null) ends.push(recurrence.count === 1 ? 'once' : `${recurrence.count} times`);
  if (recurrence.until !== null) {
    // The until date is shown as the local date in the task's zone, as the user sees it.
    ends.push(`until ${toWallClock(new Date(recurrence.until), zone).toISOString().slice(0, 10)}`);
  }
  return ends.map((end) => `, ${end}`).join('');
}

/** Human-readable English, e.g. "every 2 weeks on Monday and Friday at 09:00, 5 times". */
export function describeRecurrence({ recurrence, anchor, zone }: DescribeRecurrenceArgs): string {
  assertTimeZone(zone);
  const base = recurrence.kind === 'cron'
    ? describeCron(recurrence.rule, { use24HourTimeFormat: true })
    : describeRrule(recurrence.rule, anchorWallClock(anchor, zone));
  return base + endPhrase(recurrence, zone);
}
