import { wallOf } from '@taskstream/time';

/** "Sun, Mar 1, 09:00" in the zone; the year is shown when it is not the year of `now`. */
export function formatInZone(instant: Date, zone: string, now: Date): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: wallOf(instant, zone).year === wallOf(now, zone).year ? undefined : 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(instant);
}
