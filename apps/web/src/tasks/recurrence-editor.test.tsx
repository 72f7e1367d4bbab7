// @vitest-environment happy-dom
import { Profiler, useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { stubFetch } from '../testing/fetch-stub.js';
import { renderSignedIn } from '../testing/render.js';
import { RecurrenceEditor } from './recurrence-editor.js';
import { newRecurrence, type RecurrenceDraft } from './task-draft.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const answer = ({ url }: { url: URL }) => ({
  kind: 'rrule',
  rule: url.searchParams.get('rule'),
  zone: url.searchParams.get('zone'),
  occurrences: ['2026-12-01T08:00:00.000Z'],
  description: `rule ${url.searchParams.get('rule')}`,
});

function Editor({ initial, due = '' }: { initial: RecurrenceDraft; due?: string }) {
  const [value, setValue] = useState<RecurrenceDraft | null>(initial);
  return <RecurrenceEditor value={value} onChange={setValue} due={due} zone="Europe/Berlin" />;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the recurrence preview', () => {
  it('asks for the recurrence as it would be saved: the last date until its end, from the due date', async () => {
    const requests = stubFetch(answer);
    renderSignedIn(<Editor initial={{ ...newRecurrence('monthly'), repeatFrom: 'completion', end: 'until', until: '2026-12-31' }} due="2026-11-01T09:00" />);
    await screen.findByText('rule monthly');
    expect(requests).toHaveLength(1);
    expect(requests[0]!.url.pathname).toBe('/api/recurrence/preview');
    expect(Object.fromEntries(requests[0]!.url.searchParams)).toEqual({
      rule: 'monthly',
      zone: 'Europe/Berlin',
      repeatFrom: 'completion',
      start: '2026-11-01T09:00',
      until: '2026-12-31T23:59',
      count: '5',
    });
  });

  it('sends an end after a number of times as the rule count, and no start without a due date', async () => {
    const requests = stubFetch(answer);
    renderSignedIn(<Editor initial={{ ...newRecurrence('weekly'), end: 'count', count: 3 }} />);
    await screen.findByText('rule weekly');
    expect(Object.fromEntries(requests[0]!.url.searchParams)).toEqual({ rule: 'weekly', zone: 'Europe/Berlin', repeatFrom: 'due', ruleCount: '3', count: '5' });
  });

  it('asks once typing pauses, not on every key', async () => {
    const requests = stubFetch(answer);
    renderSignedIn(<Editor initial={newRecurrence('rrule')} />);
    await screen.findByText('rule FREQ=WEEKLY;BYDAY=MO,WE,FR');
    const field = screen.getByPlaceholderText('FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1');
    await userEvent.clear(field);
    await userEvent.type(field, 'FREQ=DAILY');
    await screen.findByText('rule FREQ=DAILY');
    expect(requests.map((r) => r.url.searchParams.get('rule'))).toEqual(['FREQ=WEEKLY;BYDAY=MO,WE,FR', 'FREQ=DAILY']);
  });

  it('settles: while nothing changes it draws nothing again', async () => {
    stubFetch(answer);
    const onRender = vi.fn();
    renderSignedIn(
      <Profiler id="editor" onRender={onRender}>
        <Editor initial={newRecurrence('daily')} />
      </Profiler>,
    );
    await screen.findByText('rule daily');
    await sleep(400);
    const renders = onRender.mock.calls.length;
    await sleep(1000);
    expect(onRender.mock.calls.length).toBe(renders);
  });
});
