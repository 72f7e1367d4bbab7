import type { PhaseStats } from './stats.js';
import { esc, fmt, niceAxis, svgHeader } from './svg.js';

export interface ChartInput {
  title: string;
  subtitle: string;
  phases: { name: string; api: PhaseStats; sql: PhaseStats }[];
}

const COLORS = { api: '#2563eb', sql: '#9ca3af' } as const;

interface Group {
  label: string;
  api: number;
  sql: number;
}

/** One panel: grouped bars (API, SQL) per group on a shared linear y axis starting at zero. */
function panel(x: number, y: number, w: number, h: number, title: string, unit: string, groups: Group[]): string {
  const left = 64;
  const bottom = 36;
  const top = 28;
  const plotW = w - left - 12;
  const plotH = h - top - bottom;
  const { top: axisTop, step } = niceAxis(1.12 * Math.max(...groups.flatMap((g) => [g.api, g.sql])));
  const sy = (v: number) => y + top + plotH - (v / axisTop) * plotH;
  const out: string[] = [];
  out.push(`<text x="${x + left + plotW / 2}" y="${y + 16}" text-anchor="middle" font-size="14" font-weight="600">${esc(title)}</text>`);
  for (let v = 0; v <= axisTop + step / 2; v += step) {
    const ty = sy(v);
    out.push(`<line x1="${x + left}" y1="${ty}" x2="${x + left + plotW}" y2="${ty}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${x + left - 6}" y="${ty + 4}" text-anchor="end" font-size="11" fill="#374151">${fmt(v)}</text>`);
  }
  out.push(`<line x1="${x + left}" y1="${y + top}" x2="${x + left}" y2="${y + top + plotH}" stroke="#111827"/>`);
  out.push(`<line x1="${x + left}" y1="${y + top + plotH}" x2="${x + left + plotW}" y2="${y + top + plotH}" stroke="#111827"/>`);
  const cy = y + top + plotH / 2;
  out.push(`<text x="${x + 14}" y="${cy}" transform="rotate(-90 ${x + 14} ${cy})" text-anchor="middle" font-size="12" fill="#374151">${esc(unit)}</text>`);
  const groupW = plotW / groups.length;
  const barW = Math.min(56, groupW / 3);
  groups.forEach((g, i) => {
    const gx = x + left + i * groupW + groupW / 2;
    (['api', 'sql'] as const).forEach((k, j) => {
      const v = g[k];
      const bx = gx - barW + j * barW + (j === 0 ? -2 : 2);
      const by = sy(v);
      out.push(`<rect x="${bx}" y="${by}" width="${barW}" height="${Math.max(0, y + top + plotH - by)}" fill="${COLORS[k]}"><title>${k === 'api' ? 'API' : 'raw SQL'} ${esc(g.label)}: ${fmt(v)} ${esc(unit)}</title></rect>`);
      out.push(`<text x="${bx + barW / 2}" y="${by - 4}" text-anchor="middle" font-size="11" fill="#111827">${fmt(v)}</text>`);
    });
    out.push(`<text x="${gx}" y="${y + top + plotH + 16}" text-anchor="middle" font-size="12" fill="#111827">${esc(g.label)}</text>`);
  });
  return out.join('\n');
}

/** A row per phase: throughput on the left, p50/p95/p99 latency on the right; API blue, raw SQL grey. */
export function renderChart(input: ChartInput): string {
  const width = 980;
  const rowH = 280;
  const header = 70;
  const height = header + rowH * input.phases.length + 20;
  const parts: string[] = [];
  parts.push(svgHeader(width, height, input.title, input.subtitle));
  // legend
  parts.push(`<rect x="${width - 230}" y="16" width="14" height="14" fill="${COLORS.api}"/><text x="${width - 210}" y="28" font-size="12">API (HTTP, in-process)</text>`);
  parts.push(`<rect x="${width - 230}" y="36" width="14" height="14" fill="${COLORS.sql}"/><text x="${width - 210}" y="48" font-size="12">raw SQL (pg Pool)</text>`);
  input.phases.forEach((p, i) => {
    const y = header + i * rowH;
    parts.push(panel(10, y, 330, rowH - 10, `${p.name}: throughput`, 'requests / second', [{ label: 'req/s', api: p.api.throughputRps, sql: p.sql.throughputRps }]));
    parts.push(
      panel(350, y, 620, rowH - 10, `${p.name}: latency per request`, 'milliseconds', [
        { label: 'p50', api: p.api.latencyMs.p50, sql: p.sql.latencyMs.p50 },
        { label: 'p95', api: p.api.latencyMs.p95, sql: p.sql.latencyMs.p95 },
        { label: 'p99', api: p.api.latencyMs.p99, sql: p.sql.latencyMs.p99 },
      ]),
    );
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
