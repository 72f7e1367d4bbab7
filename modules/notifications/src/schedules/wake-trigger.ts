/**
 * What wakes the scheduler at the next reminder's instant. In-process it is a timer; under Dapr it
 * can be a job in the Dapr scheduler (Jobs API), which calls the app back at that instant.
 */
export interface WakeTrigger {
  /** Wake at `at` (replacing any earlier arm); null disarms. */
  arm(at: Date | null): Promise<void>;
  /** Called by the scheduler once; the trigger calls `wake` when an armed instant arrives. */
  onWake(wake: () => void): void;
  stop(): Promise<void>;
}

/** A timer in this process: wakes at the instant, with the usual few milliseconds of timer latency. */
export class TimerTrigger implements WakeTrigger {
  private timer: NodeJS.Timeout | undefined;
  private wake: () => void = () => undefined;

  onWake(wake: () => void): void {
    this.wake = wake;
  }

  arm(at: Date | null): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (at) {
      // Timers above 2^31-1 ms overflow to 1 ms; the scheduler re-arms within its max sleep anyway.
      const delay = Math.min(Math.max(0, at.getTime() - Date.now()), 2_147_483_647);
      this.timer = setTimeout(() => this.wake(), delay);
    }
    return Promise.resolve();
  }

  stop(): Promise<void> {
    clearTimeout(this.timer);
    return Promise.resolve();
  }
}
