import type { Logger } from 'pino';
import type { WakeTrigger } from './wake-trigger.js';

/**
 * Arms a one-shot job in the Dapr scheduler (Jobs API); the sidecar calls the app back at
 * POST /job/<name> (route: `jobCallbackPath`), which must call `fired()`. The job outlives this
 * process, so a replica that restarts is still woken; the cron sweep covers a sidecar that was down.
 */
export class DaprJobsTrigger implements WakeTrigger {
  private wake: () => void = () => undefined;
  private armedAt: number | null = null;

  constructor(private readonly o: { daprHttpPort: number; jobName: string; logger: Logger }) {}

  get jobCallbackPath(): string {
    return `/job/${this.o.jobName}`;
  }

  onWake(wake: () => void): void {
    this.wake = wake;
  }

  /** The sidecar delivered the job. */
  fired(): void {
    this.o.logger.debug('woken by the Dapr job');
    this.armedAt = null;
    this.wake();
  }

  async arm(at: Date | null): Promise<void> {
    if (at === null || at.getTime() === this.armedAt) return;
    const url = `http://127.0.0.1:${this.o.daprHttpPort}/v1.0-alpha1/jobs/${this.o.jobName}`;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dueTime: at.toISOString(), data: { wake: true }, overwrite: true }),
    });
    if (!res.ok) throw new Error(`Dapr Jobs API refused ${this.o.jobName}: ${res.status} ${await res.text()}`);
    this.armedAt = at.getTime();
    this.o.logger.debug({ at: at.toISOString() }, 'reminder wake job armed');
  }

  async stop(): Promise<void> {
    // The job stays in the Dapr scheduler on purpose: it wakes whichever replica is running.
  }
}
