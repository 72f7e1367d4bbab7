import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@taskstream/testing';
import { createTestApp, type TestApp } from './testing/test-app.js';

/**
 * The metrics the dashboard and the alert rules read (deploy/helm/taskstream/monitoring), made by
 * real traffic through the embedded process: outbox → relay → bus → every consumer.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ events: true });
});
afterAll(() => t.close());


/** The value of one sample, by its exact name and labels as rendered ("" for none); 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v) && Object.keys(have).length === Object.keys(labels).length) return Number(match[3]);
  }
  return 0;
}

const scrape = async () => (await t.app.inject({ method: 'GET', url: '/metrics' })).body;

describe('/metrics shows the event path', () => {
  it('counts what the relay published and what each consumer made of it, with its lag, and how late a reminder rang', async () => {
    const ada = await t.signUp();
    const before = await scrape();
    const remindAt = new Date(Date.now() + 1000).toISOString();
    const created = await t.app.inject({ method: 'POST', url: '/api/tasks', headers: ada.headers, payload: { title: 'Count me', dueAt: new Date(Date.now() + 3600_000).toISOString(), reminders: [{ remindAt }] } });
    expect(created.statusCode, created.body).toBe(201);

    // The audit consumer handles task.created; the notifications consumer turns the reminder into a
    // notification. The relay counts an event published once it has marked the row, which can be
    // after the in-process bus already delivered it: wait for both.
    const grown = (text: string, name: string, labels?: Record<string, string>) => sample(text, name, labels) > sample(before, name, labels);
    const after = await eventually(async () => {
      const text = await scrape();
      return grown(text, 'reminder_lateness_seconds_count') && grown(text, 'events_published_total', { topic: 'reminders', type: 'reminder.due' }) && text;
    }, 'the reminder to be delivered and its publication counted');

    const grew = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    expect(grew('events_published_total', { topic: 'task-events', type: 'task.created' })).toBeGreaterThanOrEqual(1);
    expect(grew('events_published_total', { topic: 'reminders', type: 'reminder.due' })).toBe(1);
    expect(grew('events_delivered_total', { consumer: 'audit', topic: 'task-events', result: 'handled' })).toBeGreaterThanOrEqual(1);
    expect(grew('events_delivered_total', { consumer: 'notifications', topic: 'reminders', result: 'handled' })).toBe(1);
    expect(grew('event_consumer_lag_seconds_count', { consumer: 'audit', topic: 'task-events' })).toBeGreaterThanOrEqual(1);
    expect(grew('event_handling_seconds_count', { consumer: 'notifications', topic: 'reminders' })).toBe(1);
    // It rang no earlier than it was due, and the histogram kept how late.
    expect(sample(after, 'reminder_lateness_seconds_sum')).toBeGreaterThanOrEqual(sample(before, 'reminder_lateness_seconds_sum'));
    expect(after).toContain('# TYPE reminder_lateness_seconds histogram');
  });

  it('counts a dead-lettered event as such', async () => {
    // An event nobody can parse: the consumers' handlers refuse it for good.
    const before = await scrape();
    await t.process.bus.publish('task-events', { specversion: '1.0', id: crypto.randomUUID(), type: 'task.created', source: 'test/forged', subject: 'x', time: new Date().toISOString(), datacontenttype: 'application/json', partitionkey: 'x', data: { nonsense: true } } as never);
    const after = await eventually(async () => {
      const text = await scrape();
      return sample(text, 'events_delivered_total', { consumer: 'audit', topic: 'task-events', result: 'dead_letter' }) > sample(before, 'events_delivered_total', { consumer: 'audit', topic: 'task-events', result: 'dead_letter' }) && text;
    }, 'the dead letter to be counted');
    expect(sample(after, 'events_delivered_total', { consumer: 'audit', topic: 'task-events', result: 'dead_letter' })).toBeGreaterThanOrEqual(1);
  });
});
