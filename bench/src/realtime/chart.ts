import { cpus } from 'node:os';
import { renderPercentileBars } from '../latency-chart.js';
import { params } from './params.js';
import type { Result } from './result.js';

/** The SVG: p50 and p99 bars of commit → message (and request → message over HTTP) per line. */
export function chart(results: Result[]): string {
  return renderPercentileBars({
    title: 'Commit → WebSocket: task.changed reaching the owner’s client',
    subtitle: `embedded app (startServer) on 127.0.0.1 · ${params.users} users × ${params.socketsPerUser} socket · paced changes, ${params.seconds} s per line · ${cpus().length} CPUs, shared machine · Node ${process.version}`,
    axisLabel: 'latency per message',
    rows: results.map((r) => ({
      label: `${r.database} · ${r.mode === 'http' ? 'PATCH over HTTP' : 'updateTask command'} · ${r.rate}/s`,
      failed: !r.checks.ok,
      series: [
        { name: 'commit → message (commit = command returned, or HTTP response read: a lower bound)', color: '#2563eb', p50: r.commitToMessageMs.p50, p99: r.commitToMessageMs.p99 },
        ...(r.requestToMessageMs ? [{ name: 'HTTP request start → message (an upper bound)', color: '#9333ea', p50: r.requestToMessageMs.p50, p99: r.requestToMessageMs.p99 }] : []),
      ],
    })),
  });
}
