import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInMemoryTracing } from '@taskstream/telemetry/testing';
import { createTestApp, type TestApp, type TestUser } from './testing/test-app.js';

// Embedded (in-process bus fed by the outbox), traced by the real SDK with the instrumentations
// production uses, spans kept in memory: one task change must be one trace, request → the
// relay's publish → each consumer's handling, down to the next occurrence the recurrence
// service creates and the consumers of that.
let tracing: ReturnType<typeof startInMemoryTracing>;
let t: TestApp;
let ada: TestUser;

beforeAll(async () => {
  tracing = startInMemoryTracing();
  t = await createTestApp({ events: true });
  ada = await t.signUp({ timeZone: 'Europe/Berlin' });
});
afterAll(async () => {
  await t.close();
  await tracing.stop();
});

const attr = (s: ReadableSpan, key: string) => s.attributes[key];
const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;
const processing = (spans: ReadableSpan[], consumer: string, type: string) =>
  spans.find((s) => s.name === 'process task-events' && attr(s, 'messaging.consumer.group.name') === consumer && attr(s, 'cloudevents.event_type') === type);
const publishing = (spans: ReadableSpan[], type: string) => spans.find((s) => s.name === 'send task-events' && attr(s, 'cloudevents.event_type') === type);

describe('tracing (embedded, in-process bus)', () => {
  it('makes one task change one trace: request → publish → every consumer, and on to the next occurrence', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/tasks', headers: ada.headers, payload: { title: 'Water plants', dueAt: '2026-03-28T09:00', recurrence: { rule: 'daily' } } });
    expect(created.statusCode).toBe(201);
    const taskId = created.json<{ id: string }>().id;
    // Only the completion's spans from here on.
    await expect.poll(() => processing(tracing.exporter.getFinishedSpans(), 'audit', 'task.created'), { timeout: 15_000 }).toBeDefined();
    tracing.exporter.reset();

    expect((await t.app.inject({ method: 'POST', url: `/api/tasks/${taskId}/complete`, headers: ada.headers })).statusCode).toBe(200);
    await expect.poll(() => processing(tracing.exporter.getFinishedSpans(), 'audit', 'task.created'), { timeout: 15_000 }).toBeDefined();
    const spans = tracing.exporter.getFinishedSpans();

    const request = spans.find((s) => s.name === 'request' && attr(s, 'http.route') === '/api/tasks/:id/complete');
    expect(request, 'the request span').toBeDefined();
    const trace = request!.spanContext().traceId;

    const completed = publishing(spans, 'task.completed');
    expect(completed, 'the relay publishing task.completed').toMatchObject({ attributes: { 'messaging.system': 'inprocess', 'messaging.destination.name': 'task-events' } });
    expect(completed!.spanContext().traceId).toBe(trace);
    expect(parentOf(completed!)).toBe(request!.spanContext().spanId);

    for (const consumer of ['audit', 'recurrence']) {
      const handled = processing(spans, consumer, 'task.completed');
      expect(handled, `${consumer} handling task.completed`).toBeDefined();
      expect(handled!.spanContext().traceId).toBe(trace);
      expect(parentOf(handled!)).toBe(completed!.spanContext().spanId);
      expect(attr(handled!, 'cloudevents.event_id')).toBe(attr(completed!, 'cloudevents.event_id'));
    }

    // The next occurrence is created while recurrence handles the completion: its events continue the trace.
    const next = publishing(spans, 'task.created');
    expect(next?.spanContext().traceId).toBe(trace);
    expect(parentOf(next!)).toBe(processing(spans, 'recurrence', 'task.completed')!.spanContext().spanId);
    expect(parentOf(processing(spans, 'audit', 'task.created')!)).toBe(next!.spanContext().spanId);
  });
});
