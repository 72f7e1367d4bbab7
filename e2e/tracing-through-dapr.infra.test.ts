import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { apiClient, Cleanup, createScratchDatabase, logTail, requireInfra, ROOT, startServiceBehindSidecar, waitUntil, type InfraStatus, type ServiceBehindSidecar } from './infra-stack.js';

/**
 * Tracing, proven with a real OTLP receiver: the API, recurrence and audit services run as their
 * own processes behind daprd over Kafka (as in services-through-dapr), each exporting spans to
 * Jaeger (OTEL_EXPORTER_OTLP_ENDPOINT), and each daprd exporting its own spans there too. One
 * completed task must come back from Jaeger's query API as ONE trace: the API's HTTP request
 * (with its PostgreSQL queries), the relay's publish, Dapr's delivery, the audit and recurrence
 * services' handling, and the next occurrence the recurrence service creates through the API.
 */
const run = randomUUID().slice(0, 8);
const cleanup = new Cleanup();
const appToken = `app-token-${randomUUID()}`;
type Role = 'api' | 'recurrence' | 'audit';
const services = new Map<Role, ServiceBehindSidecar>();
let api: string;
let jaeger: InfraStatus['jaeger'];

const diagnostics = () =>
  [...services.entries()].map(([role, s]) => `=== ${role}\n${s.process.output().split('\n').slice(-15).join('\n')}\n${logTail(s.sidecar.log, 10)}`).join('\n') + `\n${logTail(jaeger.log, 10)}`;

/** deploy/dapr/local/config.yaml with tracing on: every span of the sidecars to Jaeger over OTLP/gRPC. */
function tracingSidecarConfig(dir: string): string {
  const config = parse(readFileSync(join(ROOT, 'deploy', 'dapr', 'local', 'config.yaml'), 'utf8')) as { spec: Record<string, unknown> };
  config.spec.tracing = { samplingRate: '1', otel: { endpointAddress: jaeger.otlpGrpc, isSecure: false, protocol: 'grpc' } };
  const file = join(dir, 'config-tracing.yaml');
  writeFileSync(file, stringify(config));
  return file;
}

beforeAll(async () => {
  const status = requireInfra(['postgres', 'kafka', 'daprd', 'scheduler', 'jaeger']);
  jaeger = status.jaeger;
  const database = await createScratchDatabase(status, 'e2e_tracing');
  cleanup.add(`drop database ${database.name}`, () => database.drop());
  const dataDir = mkdtempSync(join(tmpdir(), 'taskstream-e2e-tracing-'));
  cleanup.add(`remove ${dataDir}`, () => rmSync(dataDir, { recursive: true, force: true }));
  const configPath = tracingSidecarConfig(dataDir);
  const common = {
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    AUTH_SECRET: `e2e-secret-${randomUUID()}`,
    EVENT_BUS: 'dapr',
    OUTBOX_POLL_MS: '200',
    API_APP_ID: `api-${run}`,
    RECURRENCE_APP_ID: `recurrence-${run}`,
    APP_API_TOKEN: appToken,
    // The standard variable, as a deployment sets it; each process names itself taskstream-<role>.
    OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.otlpHttp,
  };
  for (const role of ['api', 'recurrence', 'audit'] as const) {
    // As the chart runs them: only the API, which writes the outbox, runs the relay.
    const relay: Record<string, string> = role === 'api' ? {} : { RELAY_ENABLED: 'false' };
    services.set(role, await startServiceBehindSidecar(cleanup, role, { appId: `${role}-${run}`, appToken, env: { ...common, ...relay }, sidecar: { configPath } }));
  }
  api = `http://127.0.0.1:${services.get('api')?.port ?? 0}`;
}, 240_000);
afterAll(() => cleanup.stopAll(), 120_000);

const call = apiClient(() => api);

// --- Jaeger's HTTP query API (what its UI reads) -----------------------------------------------------

interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: { refType: 'CHILD_OF' | 'FOLLOWS_FROM'; traceID: string; spanID: string }[];
  startTime: number;
  processID: string;
  tags: { key: string; value: unknown }[];
}
interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string }>;
}
interface Span extends JaegerSpan {
  service: string;
  tag: Record<string, unknown>;
  parent: string | undefined;
}

async function jaegerTraces(query: Record<string, string>): Promise<JaegerTrace[]> {
  const res = await fetch(`${jaeger.query}/api/traces?${new URLSearchParams(query).toString()}`);
  if (!res.ok) throw new Error(`Jaeger /api/traces answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { data: JaegerTrace[] | null }).data ?? [];
}

const spansOf = (trace: JaegerTrace): Span[] =>
  trace.spans.map((s) => ({
    ...s,
    service: trace.processes[s.processID]?.serviceName ?? '?',
    tag: Object.fromEntries(s.tags.map((t) => [t.key, t.value])),
    parent: s.references.find((r) => r.refType === 'CHILD_OF')?.spanID,
  }));

function ancestors(spans: Span[], span: Span): Span[] {
  const byId = new Map(spans.map((s) => [s.spanID, s]));
  const out: Span[] = [];
  for (let p = span.parent && byId.get(span.parent); p; p = p.parent ? byId.get(p.parent) : undefined) out.push(p);
  return out;
}

/** The trace as an indented tree, for the failure message and the log. */
function tree(spans: Span[]): string {
  const ids = new Set(spans.map((s) => s.spanID));
  const lines: string[] = [];
  const walk = (s: Span, depth: number) => {
    const what = ['messaging.system', 'messaging.destination.name', 'messaging.consumer.group.name', 'cloudevents.event_type'].filter((k) => k in s.tag).map((k) => `${k}=${String(s.tag[k])}`);
    lines.push(`${'  '.repeat(depth)}${s.operationName} [${s.service}]${what.length ? ` ${what.join(' ')}` : ''}`);
    for (const c of spans.filter((x) => x.parent === s.spanID).sort((a, b) => a.startTime - b.startTime)) walk(c, depth + 1);
  };
  for (const root of spans.filter((s) => !s.parent || !ids.has(s.parent))) walk(root, 0);
  return lines.join('\n');
}

const publish = (spans: Span[], type: string) => spans.find((s) => s.operationName === 'send task-events' && s.tag['cloudevents.event_type'] === type);
const handling = (spans: Span[], service: string, type: string) =>
  spans.find((s) => s.operationName === 'process task-events' && s.service === service && s.tag['cloudevents.event_type'] === type);

describe('tracing: each service its own process behind daprd, spans to Jaeger', () => {
  it('one task change is one trace in Jaeger: HTTP request and queries, the publish, Dapr, audit and recurrence handling, the next occurrence', async () => {
    const email = `tracy-${run}@example.com`;
    const signedUp = await call(null, 'POST', '/api/auth/sign-up/email', { email, password: 'correct horse battery', name: 'Tracy', timeZone: 'Europe/Berlin' });
    expect(signedUp.status, JSON.stringify(signedUp.body)).toBe(200);
    const token = signedUp.headers.get('set-auth-token') ?? '';
    const created = await call(token, 'POST', '/api/tasks', { title: 'Water the plants', dueAt: '2026-03-28T09:00', timeZone: 'Europe/Berlin', recurrence: { rule: 'daily' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const start = Date.now() * 1000;
    expect((await call(token, 'POST', `/api/tasks/${created.body.id}/complete`)).status).toBe(200);

    // Spans arrive in batches from five processes: wait (bounded) until every part has arrived.
    const completePath = `/api/tasks/${created.body.id}/complete`;
    let last: Span[] = [];
    const spans = await waitUntil(
      async () => {
        const found = await jaegerTraces({ service: 'taskstream-api', operation: 'POST /api/tasks/:id/complete', start: String(start), limit: '20' });
        const traces = found.filter((t) => t.spans.some((s) => s.tags.some((tag) => typeof tag.value === 'string' && tag.value.includes(completePath))));
        if (traces.length !== 1) return null;
        last = spansOf(traces[0]!);
        const next = publish(last, 'task.created');
        return publish(last, 'task.completed') && handling(last, 'taskstream-audit', 'task.completed') && handling(last, 'taskstream-recurrence', 'task.completed') && next && handling(last, 'taskstream-audit', 'task.created')
          ? last
          : null;
      },
      { what: 'the trace of the completion in Jaeger, with every service', timeoutMs: 90_000, intervalMs: 1000, describe: () => `spans so far:\n${tree(last)}\n${diagnostics()}` },
    );
    console.log(`the trace of one completed task, as Jaeger returned it (${spans.length} spans):\n${tree(spans)}`);

    // One trace, one root (the API's HTTP request), and every parent a span of the trace.
    expect(new Set(spans.map((s) => s.traceID)).size).toBe(1);
    const ids = new Set(spans.map((s) => s.spanID));
    const roots = spans.filter((s) => !s.parent);
    expect(roots.map((s) => `${s.service} ${s.operationName}`)).toEqual(['taskstream-api POST /api/tasks/:id/complete']);
    expect(spans.filter((s) => s.parent && !ids.has(s.parent)).map((s) => `${s.service} ${s.operationName}`), 'spans whose parent is missing').toEqual([]);
    const root = roots[0]!;
    expect(root.tag['span.kind']).toBe('server');
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['taskstream-api', 'taskstream-audit', 'taskstream-recurrence', `api-${run}`, `audit-${run}`, `recurrence-${run}`]));

    // The request's own work: its Fastify span and its PostgreSQL queries.
    const request = spans.find((s) => s.service === 'taskstream-api' && s.operationName === 'request' && s.parent === root.spanID);
    expect(request, 'the Fastify request span').toBeDefined();
    expect(spans.some((s) => s.service === 'taskstream-api' && (s.tag['db.system.name'] ?? s.tag['db.system']) === 'postgresql' && ancestors(spans, s).includes(root)), 'a pg query span under the request').toBe(true);

    // The relay's publish is a child of the request span whose traceparent the outbox row kept.
    const completed = publish(spans, 'task.completed')!;
    expect(completed).toMatchObject({ service: 'taskstream-api', parent: request!.spanID, tag: { 'messaging.system': 'dapr', 'messaging.destination.name': 'task-events', 'span.kind': 'producer' } });

    // Each consumer handles that very event inside the trace, below the publish (through Dapr's spans).
    for (const service of ['taskstream-audit', 'taskstream-recurrence']) {
      const handled = handling(spans, service, 'task.completed')!;
      expect(handled.tag).toMatchObject({ 'messaging.system': 'dapr', 'messaging.destination.name': 'task-events', 'cloudevents.event_id': completed.tag['cloudevents.event_id'], 'span.kind': 'consumer' });
      expect(ancestors(spans, handled).map((s) => s.spanID), `${service}'s handling below the publish`).toContain(completed.spanID);
    }

    // The recurrence service asks the API for the next occurrence: its task.created continues the trace.
    const next = publish(spans, 'task.created')!;
    expect(ancestors(spans, next).map((s) => s.spanID)).toContain(handling(spans, 'taskstream-recurrence', 'task.completed')!.spanID);
    expect(ancestors(spans, handling(spans, 'taskstream-audit', 'task.created')!).map((s) => s.spanID)).toContain(next.spanID);
  });
});
