/** Backoff sleeps that stop() can cut short, so a bus stops without waiting out a retry delay. */
export class BackoffSleeper {
  private readonly sleeping = new Set<() => void>();

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleeping.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleeping.add(wake);
    });
  }

  wakeAll(): void {
    for (const wake of this.sleeping) wake();
  }
}
