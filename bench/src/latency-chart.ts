// A chart of latency samples taken over a time window: per row (a database, a transport), how the
// latency moved during the window (p50 and p99 per bucket) and its distribution (a CDF with p50
// and p99 marked). Used by the reminders and realtime benchmarks.
import { percentile } from './stats.js';
import { esc, fmt, niceAxis, svgHeader } from './svg.js';

export interface LatencySeries {
  label: string;
  color: string;
  /** One sample: when it happened (seconds into the window) and its latency in milliseconds. */
  samples: { at: number; ms: number }[];
}

export interface LatencyChartInput {
  title: string;
  subtitle: string;
  /** Caption of the time axis, e.g. "fire instant (s into the minute)". */
  timeLabel: string;
  bucketSeconds: number;
  /** A target drawn as a red dashed line (e.g. 100 ms). */
  targetMs?: number;
  rows: { title: string; series: LatencySeries[] }[];
}

const WIDTH = 1000;
const ROW_H = 330;
const HEADER = 64;
const PLOT = { left: 62, right: 14, top: 30, bottom: 44 };

interface Frame {
  x: number;
  y: number;
  w: number;
  h: number;
}

const sortedMs = (s: LatencySeries) => Float64Array.from(s.samples, (p) => p.ms).sort();

/** Axes, grid and captions of one panel; returns the plot area's scales. */
function axes(out: string[], f: Frame, title: string, xMax: number, yMax: number, xCaption: string, yCaption: string, xFmt: (v: number) => string, yFmt: (v: number) => string) {
  const pw = f.w - PLOT.left - PLOT.right;
  const ph = f.h - PLOT.top - PLOT.bottom;
  const x0 = f.x + PLOT.left;
  const y0 = f.y + PLOT.top;
  // Values outside the axes (above the cut, or below zero) sit on its edge.
  const clamp = (v: number, max: number) => Math.max(0, Math.min(v, max));
  const sx = (v: number) => x0 + (clamp(v, xMax) / xMax) * pw;
  const sy = (v: number) => y0 + ph - (clamp(v, yMax) / yMax) * ph;
  out.push(`<text x="${x0 + pw / 2}" y="${f.y + 16}" text-anchor="middle" font-size="14" font-weight="600">${esc(title)}</text>`);
  const yAxis = niceAxis(yMax);
  for (let v = 0; v <= yMax + yAxis.step / 2; v += yAxis.step) {
    out.push(`<line x1="${x0}" y1="${sy(v)}" x2="${x0 + pw}" y2="${sy(v)}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${x0 - 6}" y="${sy(v) + 4}" text-anchor="end" font-size="11" fill="#374151">${yFmt(v)}</text>`);
  }
  const xAxis = niceAxis(xMax);
  for (let v = 0; v <= xMax + xAxis.step / 2; v += xAxis.step) {
    out.push(`<line x1="${sx(v)}" y1="${y0 + ph}" x2="${sx(v)}" y2="${y0 + ph + 4}" stroke="#111827"/>`);
    out.push(`<text x="${sx(v)}" y="${y0 + ph + 16}" text-anchor="middle" font-size="11" fill="#374151">${xFmt(v)}</text>`);
  }
  out.push(`<line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y0 + ph}" stroke="#111827"/>`);
  out.push(`<line x1="${x0}" y1="${y0 + ph}" x2="${x0 + pw}" y2="${y0 + ph}" stroke="#111827"/>`);
  out.push(`<text x="${x0 + pw / 2}" y="${y0 + ph + 34}" text-anchor="middle" font-size="12" fill="#374151">${esc(xCaption)}</text>`);
  const cy = y0 + ph / 2;
  out.push(`<text x="${f.x + 14}" y="${cy}" transform="rotate(-90 ${f.x + 14} ${cy})" text-anchor="middle" font-size="12" fill="#374151">${esc(yCaption)}</text>`);
  return { sx, sy, x0, y0, pw, ph };
}

const polyline = (points: [number, number][], color: string, dash = '') =>
  `<polyline fill="none" stroke="${color}" stroke-width="1.6"${dash ? ` stroke-dasharray="${dash}"` : ''} points="${points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}"/>`;

/** p50 (solid) and p99 (dashed) of each time bucket. */
function overTime(out: string[], f: Frame, input: LatencyChartInput, series: LatencySeries[]) {
  const span = Math.max(input.bucketSeconds, ...series.flatMap((s) => s.samples.map((p) => p.at)));
  const buckets = Math.ceil(span / input.bucketSeconds);
  const perBucket = series.map((s) => {
    const groups: number[][] = Array.from({ length: buckets }, () => []);
    for (const p of s.samples) groups[Math.min(buckets - 1, Math.floor(p.at / input.bucketSeconds))]!.push(p.ms);
    return groups.map((g, i) => {
      const sorted = Float64Array.from(g).sort();
      return { at: (i + 0.5) * input.bucketSeconds, n: g.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
    });
  });
  const yMax = niceAxis(1.1 * Math.max(input.targetMs ?? 0, ...perBucket.flat().map((b) => b.p99))).top;
  const { sx, sy, x0, pw } = axes(out, f, `Latency over the window (p50 solid, p99 dashed, per ${input.bucketSeconds} s)`, span, yMax, input.timeLabel, 'milliseconds', (v) => fmt(v).replace(/\.00$/, ''), fmt);
  if (input.targetMs !== undefined) out.push(`<line x1="${x0}" y1="${sy(input.targetMs)}" x2="${x0 + pw}" y2="${sy(input.targetMs)}" stroke="#dc2626" stroke-dasharray="6 4"/>`);
  series.forEach((s, i) => {
    const filled = perBucket[i]!.filter((b) => b.n > 0);
    out.push(polyline(filled.map((b) => [sx(b.at), sy(b.p50)]), s.color));
    out.push(polyline(filled.map((b) => [sx(b.at), sy(b.p99)]), s.color, '5 3'));
  });
}

/** Cumulative distribution; the axis ends a little past the largest p99 (the max is in the legend). */
function distribution(out: string[], f: Frame, input: LatencyChartInput, series: LatencySeries[]) {
  const sorted = series.map(sortedMs);
  const xMax = niceAxis(1.25 * Math.max(input.targetMs ?? 0, ...sorted.map((s) => percentile(s, 99)))).top;
  const { sx, sy, y0, ph } = axes(out, f, 'Distribution (share of samples at or below)', xMax, 1, 'milliseconds', 'share of samples', fmt, (v) => `${Math.round(v * 100)}%`);
  if (input.targetMs !== undefined) {
    out.push(`<line x1="${sx(input.targetMs)}" y1="${y0}" x2="${sx(input.targetMs)}" y2="${y0 + ph}" stroke="#dc2626" stroke-dasharray="6 4"/>`);
    out.push(`<text x="${sx(input.targetMs) - 4}" y="${y0 + 12}" text-anchor="end" font-size="11" fill="#dc2626">target ${fmt(input.targetMs)} ms</text>`);
  }
  series.forEach((s, i) => {
    const values = sorted[i]!;
    if (values.length === 0) return;
    const steps = 300;
    const points: [number, number][] = [[sx(0), sy(0)]];
    for (let k = 1; k <= steps; k++) points.push([sx(percentile(values, (k / steps) * 100)), sy(k / steps)]);
    out.push(polyline(points, s.color));
    for (const p of [50, 99]) {
      const v = percentile(values, p);
      out.push(`<circle cx="${sx(v)}" cy="${sy(p / 100)}" r="4" fill="${s.color}"/>`);
      out.push(`<text x="${sx(v) + 6}" y="${sy(p / 100) + (p === 99 ? -6 : 14) + i * 12}" font-size="11" fill="${s.color}">p${p} ${fmt(v)} ms</text>`);
    }
  });
}

function legend(out: string[], x: number, y: number, series: LatencySeries[]) {
  series.forEach((s, i) => {
    const values = sortedMs(s);
    const stats = `p50 ${fmt(percentile(values, 50))} · p99 ${fmt(percentile(values, 99))} · max ${fmt(values[values.length - 1] ?? 0)} ms (${values.length.toLocaleString('en-US')} samples)`;
    out.push(`<rect x="${x}" y="${y + i * 16 - 10}" width="12" height="12" fill="${s.color}"/>`);
    out.push(`<text x="${x + 18}" y="${y + i * 16}" font-size="12">${esc(s.label)}: ${esc(stats)}</text>`);
  });
}

export function renderLatencyChart(input: LatencyChartInput): string {
  const height = HEADER + input.rows.length * ROW_H + 10;
  const out: string[] = [svgHeader(WIDTH, height, input.title, input.subtitle)];
  input.rows.forEach((row, r) => {
    const y = HEADER + r * ROW_H;
    const legendH = row.series.length * 16 + 8;
    out.push(`<text x="20" y="${y + 18}" font-size="15" font-weight="700">${esc(row.title)}</text>`);
    legend(out, 20, y + 38, row.series);
    const f = { y: y + 26 + legendH, h: ROW_H - 30 - legendH };
    overTime(out, { x: 10, w: 500, ...f }, input, row.series);
    distribution(out, { x: 510, w: 480, ...f }, input, row.series);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

export interface PercentileBarsInput {
  title: string;
  subtitle: string;
  /** What the bars measure, under the axis. */
  axisLabel: string;
  /** One line per configuration; each series a p50–p99 bar with a tick at p50. */
  rows: { label: string; failed?: boolean; series: { name: string; color: string; p50: number; p99: number }[] }[];
}

/**
 * Horizontal p50–p99 bars on a logarithmic axis (milliseconds), one line per configuration, so
 * configurations milliseconds and seconds apart can be read on one chart.
 */
export function renderPercentileBars(input: PercentileBarsInput): string {
  const names = [...new Map(input.rows.flatMap((r) => r.series.map((s) => [s.name, s.color] as const))).entries()];
  const line = 16;
  const rowH = Math.max(1, ...input.rows.map((r) => r.series.length)) * line + 14;
  const top = HEADER + 26 + names.length * 16;
  const left = 250;
  const right = 120;
  const plotW = WIDTH - left - right;
  const height = top + input.rows.length * rowH + 56;
  const values = input.rows.flatMap((r) => r.series.flatMap((s) => [s.p50, s.p99])).filter((v) => v > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.min(1, ...values)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(10, ...values)));
  const sx = (v: number) => WIDTH - right - plotW + (Math.log10(Math.min(hi, Math.max(lo, v)) / lo) / Math.log10(hi / lo)) * plotW;
  const out: string[] = [svgHeader(WIDTH, height, input.title, input.subtitle)];
  names.forEach(([name, color], i) => {
    out.push(`<rect x="20" y="${HEADER + 8 + i * 16}" width="12" height="12" fill="${color}"/>`);
    out.push(`<text x="38" y="${HEADER + 18 + i * 16}" font-size="12">${esc(name)}: bar from p50 to p99, tick at p50</text>`);
  });
  const bottom = top + input.rows.length * rowH;
  for (let v = lo; v <= hi * 1.0001; v *= 10) {
    for (const m of [1, 2, 5]) {
      const x = sx(v * m);
      if (v * m > hi * 1.0001) break;
      out.push(`<line x1="${x}" y1="${top - 6}" x2="${x}" y2="${bottom}" stroke="${m === 1 ? '#d1d5db' : '#f3f4f6'}"/>`);
      const t = v * m;
      const label = t >= 1000 ? `${t / 1000}k` : t >= 1 ? String(t) : t.toPrecision(1);
      out.push(`<text x="${x}" y="${bottom + 16}" text-anchor="middle" font-size="11" fill="#374151">${label}</text>`);
    }
  }
  out.push(`<text x="${WIDTH - right - plotW / 2}" y="${bottom + 36}" text-anchor="middle" font-size="12" fill="#374151">${esc(input.axisLabel)} (milliseconds, logarithmic; values at or below ${lo} ms sit on the left edge)</text>`);
  input.rows.forEach((r, i) => {
    const y = top + i * rowH;
    out.push(`<text x="${left - 10}" y="${y + rowH / 2 + 2}" text-anchor="end" font-size="12" fill="${r.failed ? '#dc2626' : '#111827'}">${esc(r.label)}${r.failed ? ' (checks failed)' : ''}</text>`);
    r.series.forEach((s, j) => {
      const by = y + 7 + j * line;
      const x1 = sx(s.p50);
      const x2 = sx(s.p99);
      out.push(`<rect x="${x1}" y="${by}" width="${Math.max(2, x2 - x1)}" height="${line - 4}" fill="${s.color}" opacity="0.75"><title>${esc(`${r.label} · ${s.name}: p50 ${fmt(s.p50)} ms, p99 ${fmt(s.p99)} ms`)}</title></rect>`);
      out.push(`<line x1="${x1}" y1="${by - 2}" x2="${x1}" y2="${by + line - 2}" stroke="#111827" stroke-width="2"/>`);
      out.push(`<text x="${Math.max(x1, x2) + 6}" y="${by + line - 6}" font-size="11" fill="#111827">${fmt(s.p50)} / ${fmt(s.p99)} ms</text>`);
    });
    if (i > 0) out.push(`<line x1="20" y1="${y}" x2="${WIDTH - 20}" y2="${y}" stroke="#e5e7eb"/>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
