import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parser } from '@prometheus-io/lezer-promql';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './testing/test-app.js';

/**
 * The chart's alert rules and Grafana dashboard (deploy/helm/taskstream/monitoring) read only
 * series the app exports. Every PromQL expression is parsed with Prometheus's own grammar
 * (@prometheus-io/lezer-promql, the parser of Prometheus's UI), its metric names are collected,
 * and each must be in the /metrics of the composed process (every role, as `npm start` runs it).
 * promtool (npm run lint:deploy) checks and unit-tests the rules themselves.
 */
const MONITORING = fileURLToPath(new URL('../../../deploy/helm/taskstream/monitoring/', import.meta.url));
/** Series Prometheus makes itself for every target, not the app. */
const FROM_PROMETHEUS = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped']);
/** What Grafana substitutes before a query reaches Prometheus. */
const GRAFANA_VARIABLES: Record<string, string> = { __rate_interval: '1m', __interval: '30s', __range: '1h', namespace: 'prod', release: 'taskstream', datasource: 'prometheus' };

const Target = z.object({ refId: z.string().min(1), expr: z.string().min(1), legendFormat: z.string().optional(), datasource: z.object({ type: z.literal('prometheus'), uid: z.literal('${datasource}') }) });
const Panel = z.object({
  id: z.number().int().positive(),
  type: z.enum(['row', 'timeseries', 'stat']),
  title: z.string().min(1),
  gridPos: z.object({ x: z.number().int().min(0).max(23), y: z.number().int().min(0), w: z.number().int().min(1).max(24), h: z.number().int().min(1) }),
  targets: z.array(Target).optional(),
});
const Dashboard = z.object({
  uid: z.string().min(1).max(40),
  title: z.string().min(1),
  schemaVersion: z.number().int(),
  templating: z.object({ list: z.array(z.object({ name: z.string(), type: z.enum(['datasource', 'query']) })) }),
  panels: z.array(Panel).min(1),
});
const Rules = z.object({
  groups: z.array(z.object({ name: z.string(), rules: z.array(z.object({ alert: z.string().optional(), record: z.string().optional(), expr: z.string().min(1) })) })),
});

const dashboard = Dashboard.parse(JSON.parse(readFileSync(`${MONITORING}dashboard.json`, 'utf8')));
const rules = Rules.parse(parseYaml(readFileSync(`${MONITORING}alerts.yaml`, 'utf8')));

/** Every expression, named by where it is: "dashboard › <panel> › A", "alerts › <alert>". */
const expressions: [where: string, expr: string][] = [
  ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t): [string, string] => [`dashboard › ${p.title} › ${t.refId}`, t.expr])),
  ...dashboard.templating.list.flatMap((v) => {
    const query = (v as { query?: { query?: string } }).query?.query;
    return query ? [[`dashboard › variable ${v.name}`, query.replace(/^label_values\((.*), \w+\)$/, '$1')] as [string, string]] : [];
  }),
  ...rules.groups.flatMap((g) => g.rules.map((r): [string, string] => [`alerts › ${r.alert ?? r.record}`, r.expr])),
];

const substitute = (expr: string) => expr.replace(/\$\{?(\w+)\}?/g, (m, name: string) => GRAFANA_VARIABLES[name] ?? m);

/** Syntax errors (with the text around them) and the metric names an expression reads. */
function analyse(expr: string): { errors: string[]; metrics: string[] } {
  const errors: string[] = [];
  const metrics: string[] = [];
  const cursor = parser.parse(expr).cursor();
  do {
    if (cursor.type.isError) errors.push(`at ${cursor.from}: …${expr.slice(Math.max(0, cursor.from - 20), cursor.from + 20)}…`);
    if (cursor.name === 'Identifier' && cursor.node.parent?.name === 'VectorSelector') metrics.push(expr.slice(cursor.from, cursor.to));
  } while (cursor.next());
  return { errors, metrics };
}

/** Series names in a /metrics text, histograms with their _bucket, _sum and _count. */
function exported(text: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    if (type === 'histogram' || type === 'summary') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
  }
  return names;
}

let t: TestApp;
beforeAll(async () => {
  // Every role in one process, as `npm start` runs it.
  t = await createTestApp({ events: true, realtime: true });
});
afterAll(() => t.close());

describe('the monitoring assets of the chart', () => {
  it('parse as PromQL, every expression of the dashboard and of the alert rules', () => {
    expect(expressions.length).toBeGreaterThan(20);
    const broken = expressions.flatMap(([where, expr]) => analyse(substitute(expr)).errors.map((e) => `${where}: ${e}`));
    expect(broken).toEqual([]);
  });

  it('read only metrics the app exports on /metrics', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    const have = exported(res.body);
    const used = new Map<string, string[]>();
    for (const [where, expr] of expressions) for (const m of analyse(substitute(expr)).metrics) used.set(m, [...(used.get(m) ?? []), where]);
    // The rules and panels together cover each area the issue names.
    for (const m of ['http_requests_total', 'http_request_duration_seconds_bucket', 'events_published_total', 'event_consumer_lag_seconds_bucket', 'events_delivered_total', 'reminder_lateness_seconds_bucket', 'realtime_connections']) {
      expect([...used.keys()]).toContain(m);
    }
    const missing = [...used].filter(([m]) => !have.has(m) && !FROM_PROMETHEUS.has(m)).map(([m, where]) => `${m} (${where.join('; ')})`);
    expect(missing, `series the dashboard or the rules read that /metrics does not export`).toEqual([]);
  });

  it('lays the dashboard out without overlaps, with unique panel ids and one data source variable', () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Map<string, string>();
    for (const p of dashboard.panels) {
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          const key = `${x},${y}`;
          expect(cells.get(key), `${p.title} overlaps ${cells.get(key)} at ${key}`).toBeUndefined();
          cells.set(key, p.title);
        }
      }
      if (p.type !== 'row') expect(p.targets?.length, p.title).toBeGreaterThan(0);
    }
    expect(dashboard.templating.list.filter((v) => v.type === 'datasource').map((v) => v.name)).toEqual(['datasource']);
  });
});
