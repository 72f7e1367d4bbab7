/**
 * Presets leave the weekday, day of month and date to the anchor (DTSTART),
 * so "weekly" repeats on the weekday the first task is due.
 */
export const RECURRENCE_PRESETS = {
  daily: 'FREQ=DAILY',
  weekdays: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
  weekly: 'FREQ=WEEKLY',
  monthly: 'FREQ=MONTHLY',
  yearly: 'FREQ=YEARLY',
} as const satisfies Record<'daily' | 'weekdays' | 'weekly' | 'monthly' | 'yearly', string>;

export type RecurrencePreset = keyof typeof RECURRENCE_PRESETS;

export function presetRule(name: string): string | undefined {
  const key = name.trim().toLowerCase();
  return Object.hasOwn(RECURRENCE_PRESETS, key) ? RECURRENCE_PRESETS[key as RecurrencePreset] : undefined;
}
