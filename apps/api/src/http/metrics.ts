import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { sql } from 'drizzle-orm';
import { queryRows, type DatabaseHandle } from '@taskstream/db';

/**
 * One registry per composed process, so several in one Node process (tests) do not collide: the
 * runtime's and the database's gauges; each part adds its own metrics to it.
 */
export function createMetricsRegistry(database: DatabaseHandle): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const pool = new Gauge({
    name: 'db_pool_connections',
    help: 'Database connections by state (PGlite has one in-process connection)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const s = database.poolStats();
      this.set({ state: 'total' }, s.total);
      this.set({ state: 'idle' }, s.idle);
      this.set({ state: 'waiting' }, s.waiting);
    },
  });
  void pool;
  const outboxPending = new Gauge({
    name: 'outbox_pending_events',
    help: 'Events committed but not yet published by the relay',
    registers: [registry],
    async collect() {
      const [row] = await queryRows<{ n: string; age: number | null }>(
        database.db,
        sql`select count(*) as n, extract(epoch from now() - min(created_at))::float8 as age from outbox where published_at is null`,
      );
      this.set(Number(row?.n ?? 0));
      outboxAge.set(row?.age ?? 0);
    },
  });
  const outboxAge = new Gauge({ name: 'outbox_oldest_pending_seconds', help: 'Age of the oldest unpublished event', registers: [registry] });
  void outboxPending;
  return registry;
}

/** Request counts and latency by route template and status. */
export function observeRequests(app: FastifyInstance, registry: Registry): void {
  const labelNames = ['method', 'route', 'status_code'] as const;
  const requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests by route and status', labelNames, registers: [registry] });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route template keeps label cardinality bounded; unknown URLs share one label.
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });
}
