import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The README's pictures are refreshed only when asked (UPDATE_SCREENSHOTS=1); an ordinary run
// keeps its pictures in test-results/, so running the tests never dirties the working tree.
const SCREENSHOTS = fileURLToPath(new URL(process.env.UPDATE_SCREENSHOTS === '1' ? '../../docs/screenshots/' : '../../test-results/screenshots/', import.meta.url));

/** Debian's Chromium, headless; without the background-networking flags it dials out and stalls on a closed network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export function newContext(browser: Browser, baseURL: string, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({ baseURL, timezoneId: 'Europe/Berlin', locale: 'en-GB', viewport: { width: 1280, height: 800 }, ...options });
}

/** Keeps a picture of a screen: for the README (docs/screenshots/<name>.png) with UPDATE_SCREENSHOTS=1. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Let toasts and transitions settle so the picture shows the screen, not a moment of it.
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, animations: 'disabled', style: '.toasts { display: none !important; }' });
}

let counter = 0;
export const uniqueEmail = (label: string) => `${label}-${Date.now()}-${++counter}@example.com`;

export async function signUp(page: Page, email: string, password = 'correct horse battery'): Promise<void> {
  await page.goto('/sign-up');
  await page.getByLabel('Name', { exact: true }).fill('Ada');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByLabel('New task').waitFor();
}

export async function signIn(page: Page, email: string, password = 'correct horse battery'): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('New task').waitFor();
}

export async function quickAdd(page: Page, text: string): Promise<void> {
  const input = page.getByLabel('New task');
  await input.fill(text);
  await input.press('Enter');
  await page.waitForFunction(() => (document.getElementById('quick-add') as HTMLInputElement | null)?.value === '');
}

export const taskRow = (page: Page, title: string) => page.getByTestId('task-row').filter({ has: page.getByRole('link', { name: title, exact: true }) });

/** Form controls, buttons and links without an accessible name (label, aria-label, text or title). */
export function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const unnamed: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('input, select, textarea, button, a[href]')) {
      if (el.closest('[aria-hidden="true"]') || el.getAttribute('type') === 'hidden') continue;
      const labels = (el as HTMLInputElement).labels;
      const named = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || (labels && labels.length > 0) || el.textContent?.trim() || el.getAttribute('title');
      if (!named) unnamed.push(el.outerHTML.slice(0, 140));
    }
    return unnamed;
  });
}

export const focusedText = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText ?? document.activeElement?.id ?? '');
