import { performance } from 'node:perf_hooks';
import type WebSocket from 'ws';

/** How the inbox files a message: one task's one version. */
export const key = (taskId: string, version: number) => `${taskId}:${version}`;

export const text = (raw: WebSocket.RawData) => (Array.isArray(raw) ? Buffer.concat(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw)).toString();

/** Every task.changed message of the run's sockets, by task and version: when each socket got it. */
export class Inbox {
  readonly arrivals = new Map<string, number[]>();
  private waiters: (() => void)[] = [];

  receive(raw: WebSocket.RawData): void {
    const at = performance.now();
    const message = JSON.parse(text(raw)) as { type?: string; data?: { taskId?: string; task?: { version?: number } | null } };
    if (message.type !== 'task.changed' || !message.data?.taskId || message.data.task?.version === undefined) return;
    const k = key(message.data.taskId, message.data.task.version);
    this.arrivals.set(k, [...(this.arrivals.get(k) ?? []), at]);
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Resolves once every key has `per` arrivals, or at `deadline` (performance time). */
  async wait(keys: string[], per: number, deadline: number, signal: AbortSignal): Promise<void> {
    while (keys.some((k) => (this.arrivals.get(k)?.length ?? 0) < per) && performance.now() < deadline) {
      signal.throwIfAborted();
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200).unref();
      });
    }
  }
}
