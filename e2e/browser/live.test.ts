import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, newContext, quickAdd, screenshot, signIn, signUp, taskRow, uniqueEmail } from './browser.js';

/** How long a change took to show in the other tab; logged for the record, never asserted on. */
const latencies: number[] = [];

async function seenWithin(label: string, started: number, wait: Promise<unknown>) {
  await wait;
  const ms = Date.now() - started;
  latencies.push(ms);
  console.log(`[live] ${label}: ${ms} ms`);
}

describe('two browsers of the same user stay in step', () => {
  let browser: Browser;
  let contexts: BrowserContext[];
  let a: Page;
  let b: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    const baseUrl = inject('baseUrl');
    contexts = [await newContext(browser, baseUrl), await newContext(browser, baseUrl)];
    a = await contexts[0]!.newPage();
    b = await contexts[1]!.newPage();
    for (const p of [a, b]) p.setDefaultTimeout(10_000);
    const email = uniqueEmail('live');
    await signUp(a, email);
    await signIn(b, email);
    // Both are connected once neither says it is reconnecting.
    for (const p of [a, b]) await p.locator('.live-indicator[data-status="live"]').waitFor({ state: 'attached' });
    // Marks the page: it survives only if the page is never reloaded.
    await b.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  });
  afterAll(async () => {
    console.log(`[live] latencies (ms): ${latencies.join(', ')}`);
    for (const c of contexts ?? []) await c.close();
    await browser?.close();
  });

  it('a task added in one appears in the other without a reload', async () => {
    const started = Date.now();
    await quickAdd(a, 'Live from A tomorrow 10am #sync');
    await seenWithin('created in A → shown in B', started, taskRow(b, 'Live from A').waitFor({ timeout: 5000 }));
    expect(await b.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  });

  it('completing it in the other removes it from the first', async () => {
    const started = Date.now();
    await b.getByRole('checkbox', { name: 'Complete “Live from A”' }).check();
    await seenWithin('completed in B → gone from A', started, taskRow(a, 'Live from A').waitFor({ state: 'detached', timeout: 5000 }));
  });

  it('an edit in one panel redraws the other list', async () => {
    await quickAdd(a, 'Rename me');
    await taskRow(b, 'Rename me').waitFor({ timeout: 5000 });
    await a.getByRole('link', { name: 'Rename me', exact: true }).click();
    const panel = a.getByRole('dialog');
    await panel.getByLabel('Title', { exact: true }).fill('Renamed in A');
    const started = Date.now();
    await panel.getByRole('button', { name: 'Save' }).click();
    await seenWithin('renamed in A → renamed in B', started, taskRow(b, 'Renamed in A').waitFor({ timeout: 5000 }));
    await panel.getByRole('button', { name: 'Close' }).first().click();
    expect(await b.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  });

  it('a reminder rings the bell in both, live', async () => {
    const remindAt = new Date(Date.now() + 1500).toISOString();
    await a.request.post('/api/tasks', { data: { title: 'Stretch', dueAt: new Date(Date.now() + 3600_000).toISOString(), reminders: [{ remindAt }] } });
    for (const p of [a, b]) await p.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor({ timeout: 15_000 });
  });

  it('says it is offline, and catches up with what changed meanwhile when back', async () => {
    await contexts[1]!.setOffline(true);
    await b.getByText(/Offline/).waitFor();
    await screenshot(b, 'offline');
    await quickAdd(a, 'Made while B was offline');
    await contexts[1]!.setOffline(false);
    await b.locator('.live-indicator[data-status="live"]').waitFor({ state: 'attached' });
    await taskRow(b, 'Made while B was offline').waitFor({ timeout: 5000 });
    expect(await b.locator('.live-indicator').textContent()).toBe('');
  });
});
