import { Counter, Gauge, type Registry } from 'prom-client';
import type { RealtimeHub, RealtimeStats } from '@taskstream/realtime';

/** The hub keeps plain counts; these report them on each scrape. */
export function registerRealtimeMetrics(registry: Registry, hub: RealtimeHub): void {
  const gauge = (name: string, help: string, read: (s: RealtimeStats) => number) =>
    new Gauge({ name, help, registers: [registry], collect() { this.set(read(hub.stats())); } });
  const counter = (name: string, help: string, read: (s: RealtimeStats) => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read(hub.stats()));
      },
    });
  gauge('realtime_connections', 'Open WebSocket connections on this replica', (s) => s.connections);
  gauge('realtime_users', 'Users with at least one open WebSocket connection on this replica', (s) => s.users);
  counter('realtime_messages_sent_total', 'Messages sent to WebSocket clients', (s) => s.messagesSent);
  counter('realtime_slow_client_closes_total', 'Connections closed with 1013 because the client stopped reading', (s) => s.slowClientCloses);
  counter('realtime_heartbeat_terminations_total', 'Connections terminated after a missed pong', (s) => s.heartbeatTerminations);
  counter('realtime_resyncs_total', 'Resumes from an id no longer buffered (client told to resync)', (s) => s.resyncs);
}
