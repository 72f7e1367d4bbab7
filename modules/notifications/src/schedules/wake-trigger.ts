/**
 * What wakes the scheduler at the next reminder's instant. In-process it is a timer; under Dapr it
 * can be a job in the Dapr scheduler (Jobs API), which calls the app back at that instant.
 */
export interface WakeTrigger {
  /** Wake at `at` (replacing any earlier arm); null: nothing is pending. */
  arm(at: Date | null): Promise<void>;
  /** Called by the scheduler once; the trigger calls `wake` when an armed instant arrives. */
  onWake(wake: () => void): void;
  stop(): Promise<void>;
}

/**
 * A timer in this process: wakes at the instant, with the usual few milliseconds of timer latency,
 * and at the latest after `maxSleepMs` (also when nothing is pending), in case a change
 * notification was missed.
 */
export class TimerTrigger implements WakeTrigger {
  private timer: NodeJS.Timeout | undefined;
  private wake: () => void = () => undefined;
  private readonly maxSleepMs: number;

  constructor(options: { maxSleepMs?: number } = {}) {
    this.maxSleepMs = options.maxSleepMs ?? 60_000;
  }

  onWake(wake: () => void): void {
    this.wake = wake;
  }

  arm(at: Date | null): Promise<void> {
    clearTimeout(this.timer);
    const delay = at === null ? this.maxSleepMs : Math.min(Math.max(0, at.getTime() - Date.now()), this.maxSleepMs);
    this.timer = setTimeout(() => this.wake(), delay);
    return Promise.resolve();
  }

  stop(): Promise<void> {
    clearTimeout(this.timer);
    return Promise.resolve();
  }
}
