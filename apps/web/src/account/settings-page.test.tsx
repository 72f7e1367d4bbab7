// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Me } from '../api/types.js';
import { stubFetch } from '../testing/fetch-stub.js';
import { renderSignedIn, testMe } from '../testing/render.js';
import { SettingsPage } from './settings-page.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function renderSettings() {
  const requests = stubFetch(({ body }) => ({ ...testMe, ...(body as Partial<Me>) }));
  const { client } = renderSignedIn(<SettingsPage />, {
    seed: (c) => {
      c.setQueryData(['me'], testMe);
      c.setQueryData(['tasks', {}], { pages: [], pageParams: [] });
      c.setQueryData(['activity'], { pages: [], pageParams: [] });
    },
  });
  return { client, requests };
}

const invalidated = (client: ReturnType<typeof renderSettings>['client'], key: string) => client.getQueryState(key === 'tasks' ? ['tasks', {}] : [key])?.isInvalidated;

describe('the settings page', () => {
  it('a new name is saved without refetching the task lists', async () => {
    const { client, requests } = renderSettings();
    const name = screen.getByLabelText('Name');
    await userEvent.clear(name);
    await userEvent.type(name, 'Ada L.');
    await userEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    await screen.findByText('Settings saved');
    expect(requests.map((r) => [r.method, r.body])).toEqual([['PATCH', { name: 'Ada L.', timeZone: 'Europe/Berlin' }]]);
    expect(client.getQueryData<Me>(['me'])?.name).toBe('Ada L.');
    expect(invalidated(client, 'tasks')).toBe(false);
    expect(invalidated(client, 'activity')).toBe(false);
  });

  it('a new time zone refetches everything shown in it', async () => {
    const { client } = renderSettings();
    await userEvent.selectOptions(screen.getByLabelText('Time zone'), 'Asia/Tokyo');
    await userEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    await screen.findByText('Settings saved');
    expect(client.getQueryData<Me>(['me'])?.timeZone).toBe('Asia/Tokyo');
    expect(invalidated(client, 'tasks')).toBe(true);
    expect(invalidated(client, 'activity')).toBe(true);
    expect(invalidated(client, 'me')).toBe(false);
  });
});
