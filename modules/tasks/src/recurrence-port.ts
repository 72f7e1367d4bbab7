/**
 * What the tasks module needs from recurrence rules. apps/api plugs in modules/recurrence;
 * modules never import each other.
 */
export interface RecurrenceSpec {
  rule: string;
  repeatFrom?: 'due' | 'completion';
  count?: number;
  until?: string;
}

export interface NormalizedRecurrence {
  kind: 'rrule' | 'cron';
  rule: string;
  repeatFrom: 'due' | 'completion';
  count: number | null;
  until: string | null;
}

export interface RecurrencePort {
  /** Validates and normalizes a rule, or says what is wrong with it. */
  parse(spec: RecurrenceSpec): { ok: true; value: NormalizedRecurrence } | { ok: false; message: string };
  /** Whether the series' next occurrence can be computed from this start within the walk budget, or why not. */
  check(recurrence: NormalizedRecurrence, anchor: Date, zone: string): { ok: true } | { ok: false; message: string };
  describe(recurrence: NormalizedRecurrence, anchor: Date, zone: string): string;
}
