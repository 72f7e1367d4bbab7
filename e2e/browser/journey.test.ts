import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { focusedText, launchChromium, newContext, quickAdd, screenshot, signUp, taskRow, unnamedControls, uniqueEmail } from './browser.js';

interface ApiTask {
  id: string;
  title: string;
  status: string;
  dueAt: string | null;
  priority: string;
  tags: string[];
  recurrence: { rule: string; description: string } | null;
}

describe('a person using Taskstream in Chromium', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const tasksNamed = async (q: string): Promise<ApiTask[]> =>
    ((await (await page.request.get(`/api/tasks?status=open,in_progress,completed&q=${encodeURIComponent(q)}`)).json()) as { items: ApiTask[] }).items;

  beforeAll(async () => {
    browser = await launchChromium();
    context = await newContext(browser, inject('baseUrl'));
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  it('signs up with the time zone this device is in', async () => {
    await page.goto('/');
    await page.waitForURL('**/sign-in');
    await page.getByRole('link', { name: 'Create an account' }).click();
    expect(await page.getByLabel('Time zone').inputValue()).toBe('Europe/Berlin');
    await screenshot(page, 'sign-up');
    await signUp(page, uniqueEmail('ada'));
    await page.getByText('Nothing to do').waitFor();
    await screenshot(page, 'empty-list');
    const me = (await (await page.request.get('/api/me')).json()) as { timeZone: string };
    expect(me.timeZone).toBe('Europe/Berlin');
  });

  it('quick add shows what it understood as chips, then creates the task', async () => {
    const input = page.getByLabel('New task');
    await input.fill('Pay rent every month on the 1st 9am #home !high');
    const chips = page.locator('#quick-add-parts');
    await chips.locator('[data-kind="recurrence"]').waitFor();
    expect(await chips.locator('[data-kind="title"]').textContent()).toBe('Pay rent');
    expect(await chips.locator('[data-kind="tag"]').textContent()).toBe('#home');
    expect(await chips.locator('[data-kind="priority"]').textContent()).toMatch(/high/i);
    expect(await chips.locator('[data-kind="due"]').count()).toBe(1);
    await screenshot(page, 'quick-add');
    await input.press('Enter');
    await taskRow(page, 'Pay rent').waitFor();

    const [rent] = await tasksNamed('rent');
    expect(rent).toMatchObject({ title: 'Pay rent', priority: 'high', tags: ['home'], status: 'open' });
    expect(rent!.recurrence?.rule).toMatch(/FREQ=MONTHLY/);
    // Due on a 1st at 09:00 Berlin time.
    const due = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(rent!.dueAt!));
    expect(due).toBe('1, 09:00');

    await quickAdd(page, 'Buy milk tomorrow #errands');
    await quickAdd(page, 'Write the quarterly report friday 3pm #work !urgent');
    await quickAdd(page, 'Call mum every sunday 6pm #family');
    await taskRow(page, 'Call mum').waitFor();
    expect(await page.getByTestId('task-row').count()).toBe(4);
    await screenshot(page, 'task-list');
  });

  it('filters by tag and search, kept in the URL across a reload', async () => {
    await page.getByText('Filters', { exact: true }).click();
    await page.getByRole('checkbox', { name: '#home' }).check();
    await page.waitForURL(/tags=home/);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="task-row"]').length === 1);
    expect(await taskRow(page, 'Pay rent').count()).toBe(1);
    await page.reload();
    await taskRow(page, 'Pay rent').waitFor();
    expect(await page.getByTestId('task-row').count()).toBe(1);
    expect(await page.getByRole('checkbox', { name: '#home' }).isChecked()).toBe(true);

    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await page.getByRole('searchbox', { name: 'Search tasks' }).fill('quarter');
    await page.waitForURL(/q=quarter/);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="task-row"]').length === 1);
    expect(await taskRow(page, 'Write the quarterly report').count()).toBe(1);
    await screenshot(page, 'search');
    await page.getByRole('searchbox', { name: 'Search tasks' }).fill('');
    await page.waitForURL((url) => !url.search.includes('q='));
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="task-row"]').length === 4);
  });

  it('edits a task in the panel with a previewed recurrence', async () => {
    await page.getByRole('link', { name: 'Pay rent', exact: true }).click();
    const panel = page.getByRole('dialog');
    await panel.getByTestId('recurrence-preview').getByText('Repeats').waitFor();
    expect(await panel.getByTestId('recurrence-preview').textContent()).toMatch(/every month on the 1st/i);
    expect(await panel.locator('.occurrences li').count()).toBe(5);
    await panel.getByRole('button', { name: '+ Add reminder' }).click();
    await panel.getByLabel('Description').fill('Transfer to the landlord');
    await panel.getByTestId('recurrence-preview').scrollIntoViewIfNeeded();
    await screenshot(page, 'task-panel');
    await panel.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved').first().waitFor();
    const [rent] = await tasksNamed('rent');
    expect(rent).toMatchObject({ description: 'Transfer to the landlord' });
    expect((rent as unknown as { reminders: unknown[] }).reminders).toHaveLength(1);
    await panel.getByRole('tab', { name: 'History' }).click();
    await panel.getByText('Changed').first().waitFor();
    await panel.getByRole('button', { name: 'Close' }).first().click();
    await panel.waitFor({ state: 'detached' });
  });

  it('completing a recurring task brings its next occurrence', async () => {
    const [first] = await tasksNamed('rent');
    await page.getByRole('checkbox', { name: 'Complete “Pay rent”' }).check();
    // The row that comes back is a new task: the next month's rent.
    await page.locator(`[data-testid="task-row"]:not([data-task-id="${first!.id}"])`).filter({ hasText: 'Pay rent' }).waitFor({ timeout: 15_000 });
    const rents = await tasksNamed('rent');
    const open = rents.filter((t) => t.status === 'open');
    expect(rents.find((t) => t.id === first!.id)?.status).toBe('completed');
    expect(open).toHaveLength(1);
    const months = (iso: string) => new Date(iso).getUTCFullYear() * 12 + new Date(iso).getUTCMonth();
    expect(months(open[0]!.dueAt!) - months(first!.dueAt!)).toBe(1);
    await screenshot(page, 'next-occurrence');
  });

  it('manages tags: recolour and rename', async () => {
    await page.getByRole('link', { name: 'Tags', exact: true }).click();
    await page.getByLabel('Name of #errands').waitFor();
    await page.getByLabel('Name of #errands').fill('shopping');
    await page.getByLabel('Name of #errands').press('Enter');
    await page.getByLabel('Name of #shopping').waitFor();
    await page.getByLabel('Colour of #work').fill('#e11d48');
    await page.waitForFunction(async () => {
      const res = await fetch('/api/tags');
      const { items } = (await res.json()) as { items: { name: string; color: string }[] };
      return items.find((t) => t.name === 'work')?.color === '#e11d48';
    });
    await screenshot(page, 'tags');
  });

  it('shows the activity feed and settings, in light and dark', async () => {
    await page.getByRole('link', { name: 'Activity' }).click();
    await page.getByRole('list', { name: 'Activity' }).getByText('Completed').first().waitFor();
    await screenshot(page, 'activity');
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Time zone').waitFor();
    await screenshot(page, 'settings');
    // Browser notifications: the test answers the permission prompt. Chromium here has no push
    // service to subscribe with, so the app falls back to notifying while a tab is open.
    await context.grantPermissions(['notifications']);
    await page.getByRole('button', { name: 'Allow browser notifications' }).click();
    await page.getByText('Browser notifications are allowed.').waitFor({ timeout: 20_000 });
    await page.getByRole('radio', { name: 'Dark' }).check();
    await page.getByRole('link', { name: 'Tasks', exact: true }).click();
    await taskRow(page, 'Call mum').waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await screenshot(page, 'task-list-dark');
  });

  it('a reminder arrives in the bell; it can be read and snoozed', async () => {
    const remindAt = new Date(Date.now() + 1500).toISOString();
    const dueAt = new Date(Date.now() + 3600_000).toISOString();
    const created = await page.request.post('/api/tasks', { data: { title: 'Water the plants', dueAt, reminders: [{ remindAt }] } });
    expect(created.status()).toBe(201);
    // The scheduler fires at remindAt; wait for the notification through the API, then look at the page.
    await expect
      .poll(async () => ((await (await page.request.get('/api/notifications')).json()) as { unreadCount: number }).unreadCount, { timeout: 20_000, interval: 250 })
      .toBe(1);
    await page.reload();
    const bell = page.getByRole('button', { name: /^Notifications/ });
    await page.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor();
    await bell.click();
    const popover = page.getByRole('region', { name: 'Notifications' });
    await popover.getByRole('link', { name: 'Water the plants' }).waitFor();
    await screenshot(page, 'notifications');
    await popover.getByRole('button', { name: 'Mark read' }).click();
    await page.getByRole('button', { name: 'Notifications', exact: true }).waitFor();
    await popover.getByLabel('Snooze “Water the plants”').selectOption('60');
    await expect
      .poll(async () => ((await (await page.request.get('/api/notifications?includeSnoozed=true')).json()) as { items: { snoozedUntil: string | null }[] }).items[0]?.snoozedUntil ?? null)
      .not.toBeNull();
    await page.keyboard.press('Escape');
  });

  it('works with the keyboard alone, and names every control', async () => {
    await page.goto('/');
    await taskRow(page, 'Call mum').waitFor();
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('Skip to content');
    await page.keyboard.press('n');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('quick-add');
    await page.keyboard.type('Typed without a mouse #keys');
    await page.keyboard.press('Enter');
    await taskRow(page, 'Typed without a mouse').waitFor();
    expect(await unnamedControls(page)).toEqual([]);

    const link = page.getByRole('link', { name: 'Typed without a mouse', exact: true });
    await link.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('panel-title');
    expect(await unnamedControls(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await focusedText(page)).toBe('Typed without a mouse');

    for (const screen of ['Tags', 'Activity', 'Settings']) {
      await page.getByRole('link', { name: screen, exact: true }).click();
      await page.getByRole('heading', { name: screen, level: 1 }).waitFor();
      expect(await unnamedControls(page), screen).toEqual([]);
    }
  });

  it('fits a phone screen', async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto('/');
    await taskRow(phone, 'Call mum').waitFor();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(phone, 'phone');
    await phone.close();
  });
});
