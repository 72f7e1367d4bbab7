import { Counter, Histogram, type Registry } from 'prom-client';
import type { BusObserver } from '@taskstream/bus';

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/**
 * The event path as Prometheus sees it, the same for every bus: what the relay published, what
 * each consumer made of each delivery, how long its handler took, and how far behind the commit
 * it ran (the lag a user feels: an audit row, a next occurrence, a pushed change arriving late).
 */
export function eventMetrics(registry: Registry): BusObserver {
  const published = new Counter({ name: 'events_published_total', help: 'Events the outbox relay published, by topic and type', labelNames: ['topic', 'type'], registers: [registry] });
  const delivered = new Counter({
    name: 'events_delivered_total',
    help: 'Delivery attempts by consumer, topic and result (handled, skipped, retry, dead_letter, abandoned)',
    labelNames: ['consumer', 'topic', 'result'],
    registers: [registry],
  });
  const handling = new Histogram({ name: 'event_handling_seconds', help: "A consumer's handler time per delivery attempt", labelNames: ['consumer', 'topic'], buckets: SECONDS, registers: [registry] });
  const lag = new Histogram({
    name: 'event_consumer_lag_seconds',
    help: 'From the event (its commit) to a consumer having handled it',
    labelNames: ['consumer', 'topic'],
    buckets: SECONDS,
    registers: [registry],
  });
  return {
    published({ topic, event }) {
      published.inc({ topic, type: event.type });
    },
    delivered({ consumer, topic, event, result, seconds }) {
      delivered.inc({ consumer, topic, result });
      if (result === 'skipped') return;
      handling.observe({ consumer, topic }, seconds);
      if (result === 'handled') lag.observe({ consumer, topic }, Math.max(0, (Date.now() - Date.parse(event.time)) / 1000));
    },
  };
}

/** Seconds from when a reminder was due to ring to its in-app notification (the scheduler's and the bus's delay together). */
export function reminderLatenessMetric(registry: Registry): (latenessSeconds: number) => void {
  const lateness = new Histogram({
    name: 'reminder_lateness_seconds',
    help: 'From the time a reminder was due to ring to its notification being created',
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900],
    registers: [registry],
  });
  return (seconds) => lateness.observe(seconds);
}
