// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import type { Tag } from '../api/types.js';
import { stubFetch } from '../testing/fetch-stub.js';
import { renderSignedIn } from '../testing/render.js';
import { TagsPage } from './tags-page.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const work: Tag = { id: '00000000-0000-4000-8000-000000000001', name: 'work', color: '#2563eb', taskCount: 2, openTaskCount: 1, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };

function renderPage() {
  let current = work;
  const requests = stubFetch(({ method, body }) => {
    if (method === 'PATCH') current = { ...current, ...(body as Partial<Tag>), updatedAt: '2026-01-02T00:00:00.000Z' };
    return method === 'PATCH' ? current : { items: [current], nextCursor: null };
  });
  const { client } = renderSignedIn(<TagsPage />, {
    seed: (c) => {
      c.setQueryData(['tags'], { items: [work], nextCursor: null });
      c.setQueryData(['tasks', {}], { pages: [], pageParams: [] });
    },
  });
  return { client, patches: () => requests.filter((r) => r.method === 'PATCH') };
}

describe('the tags page', () => {
  it('saves a colour once, when the picker commits it, not on every step of a drag', async () => {
    const { client, patches } = renderPage();
    const input = screen.getByLabelText<HTMLInputElement>('Colour of #work');
    for (const color of ['#e11d40', '#e11d44', '#e11d48']) fireEvent.input(input, { target: { value: color } });
    expect(input.value).toBe('#e11d48');
    expect(patches()).toHaveLength(0);

    fireEvent.change(input);
    await waitFor(() => expect(patches()).toHaveLength(1));
    expect(patches()[0]).toMatchObject({ url: new URL(`http://localhost/api/tags/${work.id}`), body: { color: '#e11d48' } });
    // Chips read colours from the tags query; task lists hold names only and stay as they are.
    await waitFor(() => expect(screen.getByLabelText<HTMLInputElement>('Colour of #work').value).toBe('#e11d48'));
    expect(client.getQueryState(['tasks', {}])?.isInvalidated).toBe(false);
  });

  it('sends nothing when the picker closes on the colour it had', () => {
    const { patches } = renderPage();
    fireEvent.change(screen.getByLabelText('Colour of #work'));
    expect(patches()).toHaveLength(0);
  });

  it('a rename refetches the task lists that show the name', async () => {
    const { client, patches } = renderPage();
    const name = screen.getByLabelText('Name of #work');
    fireEvent.change(name, { target: { value: 'office' } });
    fireEvent.blur(name);
    await waitFor(() => expect(patches()).toHaveLength(1));
    expect(patches()[0]!.body).toEqual({ name: 'office' });
    await waitFor(() => expect(client.getQueryState(['tasks', {}])?.isInvalidated).toBe(true));
  });
});
