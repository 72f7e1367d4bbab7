import type { CloudEvent } from '@taskstream/events';
import { BusUnavailableError, type EventBus, type Subscription } from '../event-bus.js';

/**
 * A transport the relay's tests control: it records what it is given, can be down or hang, and
 * notes every publish that starts while an earlier event of the same partition key is still in
 * flight — which a consumer could receive out of order, whatever order the calls completed in.
 * Share one between several relays to check the order they keep together.
 */
export class RecordingBus implements EventBus {
  readonly kind = 'inprocess';
  published: CloudEvent[] = [];
  downFor = 0;
  hang = false;
  /** Event-loop turns a publish takes, as a broker's round trip would: lets relays interleave. */
  turns = 0;
  /** "<event> started while <earlier event> of the same key was in flight", in the order seen. */
  readonly overlaps: string[] = [];
  private readonly inFlight = new Map<string, string>();

  private readonly hung: ((err: Error) => void)[] = [];

  async publish(_topic: string, event: CloudEvent): Promise<void> {
    if (this.hang) return new Promise((_resolve, reject) => this.hung.push(reject));
    if (this.downFor > 0) {
      this.downFor--;
      throw new BusUnavailableError('broker unreachable');
    }
    const key = event.partitionkey;
    const earlier = this.inFlight.get(key);
    if (earlier) this.overlaps.push(`${event.id} started while ${earlier} of ${key} was in flight`);
    this.inFlight.set(key, event.id);
    try {
      for (let i = 0; i < this.turns; i++) await new Promise((r) => setImmediate(r));
      this.published.push(event);
    } finally {
      if (this.inFlight.get(key) === event.id) this.inFlight.delete(key);
    }
  }

  /** Fails every publish left hanging, so a relay stuck on one can be stopped at the end of a test. */
  release(): void {
    this.hang = false;
    for (const reject of this.hung.splice(0)) reject(new BusUnavailableError('released by the test'));
  }

  subscribe(_s: Subscription): void {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  ids(user: string): string[] {
    return this.published.filter((e) => e.partitionkey === user).map((e) => e.id);
  }
}
