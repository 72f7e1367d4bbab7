/**
 * Runs a round of work on request, one round at a time: a request that arrives while a round runs
 * makes exactly one more round after it, so no request is lost and rounds never overlap. The
 * relay, the reminder scheduler and the delivery worker are woken this way. `round` handles its
 * own errors.
 */
export class CoalescingRunner {
  private active: Promise<void> | undefined;
  private again = false;
  private on = false;

  constructor(private readonly round: () => Promise<void>) {}

  get running(): boolean {
    return this.on;
  }

  start(): void {
    this.on = true;
  }

  request(): void {
    if (!this.on) return;
    if (this.active) {
      this.again = true;
      return;
    }
    this.active = (async () => {
      do {
        this.again = false;
        await this.round();
      } while (this.again && this.on);
    })().finally(() => {
      this.active = undefined;
    });
  }

  /** No new rounds; resolves when the one in flight has finished. */
  async stop(): Promise<void> {
    this.on = false;
    await this.active;
  }
}
