import type { ReminderDueData } from '@taskstream/events';

export interface ReminderMessage {
  title: string;
  body: string;
  /** Where the notification leads: the task in the web app. */
  url: string;
}

/** What a person reads, with the due time in their own zone ("Due Thu 26 Nov, 17:00 (Europe/Berlin)"). */
export function reminderMessage(data: ReminderDueData, timeZone: string, publicUrl: string): ReminderMessage {
  const body = data.dueAt
    ? `Due ${new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(new Date(data.dueAt))} (${timeZone})`
    : 'Reminder';
  return { title: data.title, body, url: `${publicUrl.replace(/\/$/, '')}/?task=${data.taskId}` };
}
