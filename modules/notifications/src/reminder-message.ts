import type { ReminderDueData } from '@taskstream/events';
import { zoneOrUtc } from '@taskstream/time';

export interface ReminderMessage {
  title: string;
  body: string;
  /** Where the notification leads: the task in the web app. */
  url: string;
}

/**
 * What a person reads, with the due time in their own zone ("Due Thu 26 Nov, 17:00 (Europe/Berlin)").
 * A stored zone that is not IANA renders in UTC: a reminder showing UTC beats one that throws on
 * every redelivery and blocks the user's partition.
 */
export function reminderMessage(data: ReminderDueData, timeZone: string, publicUrl: string): ReminderMessage {
  const zone = zoneOrUtc(timeZone);
  const body = data.dueAt
    ? `Due ${new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(new Date(data.dueAt))} (${zone})`
    : 'Reminder';
  return { title: data.title, body, url: `${publicUrl.replace(/\/$/, '')}/?task=${data.taskId}` };
}
