import { cpus } from 'node:os';
import { renderLatencyChart } from '../latency-chart.js';
import { params } from './params.js';
import type { Result } from './result.js';

/** The SVG: scheduler and end-to-end lateness over the window and their distribution, per database. */
export function chart(results: Result[]): string {
  const first = results[0];
  return renderLatencyChart({
    title: `Reminder lateness: ${params.reminders.toLocaleString('en-US')} reminders due within ${params.windowSeconds} s`,
    subtitle: `embedded stack (outbox → relay → in-process bus → notification service) · ${params.users} users · ${cpus().length} CPUs, shared machine · Node ${process.version}${first ? '' : ' · no results'}`,
    timeLabel: `fire instant (seconds into the ${params.windowSeconds} s window)`,
    bucketSeconds: Math.max(1, Math.round(params.windowSeconds / 60)),
    targetMs: params.targetP99Ms,
    rows: results.map((r) => ({
      title: `${r.database} — ${r.server}${r.checks.ok ? '' : ' — CHECKS FAILED'}`,
      series: [
        { label: 'scheduler (claimed − fire instant)', color: '#2563eb', samples: r.samples.map((s) => ({ at: s.at / 1000, ms: s.schedulerMs })) },
        { label: 'end to end (in-app notification created − fire instant)', color: '#ea580c', samples: r.samples.map((s) => ({ at: s.at / 1000, ms: s.endToEndMs })) },
      ],
    })),
  });
}
