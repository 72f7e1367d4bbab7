/** NOTIFY channel: a schedule changed, so every scheduler re-reads when the next reminder is due. */
export const REMINDER_CHANNEL = 'taskstream_reminders';
