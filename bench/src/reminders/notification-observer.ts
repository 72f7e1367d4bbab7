import type { Subscription } from '@taskstream/bus';
import { TOPICS, type NotificationChangedData } from '@taskstream/events';
import { progress } from '../pool.js';

/**
 * Where the real-time service would pick the in-app notification up: a subscriber of
 * notification.changed that times each measured task's notification from its fire instant.
 */
export class NotificationObserver {
  /** Fire instant (epoch ms) of each measured task, by task id; tasks not in it are ignored. */
  readonly fireAt = new Map<string, number>();
  /** Arrival − fire instant, ms, in arrival order. */
  readonly observed: number[] = [];
  /** Resolves when every measured task's notification has arrived. */
  readonly everyoneObserved: Promise<void>;
  readonly subscription: Subscription;
  private allObserved!: () => void;

  constructor(label: string, total: number) {
    this.everyoneObserved = new Promise<void>((r) => (this.allObserved = r));
    this.subscription = {
      consumer: 'bench-reminders',
      topic: TOPICS.notifications,
      handler: async (event) => {
        const at = this.fireAt.get((event.data as NotificationChangedData).notification.taskId ?? '');
        if (at === undefined) return;
        this.observed.push(Date.now() - at);
        if (this.observed.length % Math.ceil(total / 10) === 0) progress(`${label}: ${Math.round((this.observed.length / total) * 100)}% of notifications delivered`);
        if (this.observed.length === total) this.allObserved();
      },
    };
  }
}
