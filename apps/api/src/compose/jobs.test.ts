import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startJobTimers, type Job } from './jobs.js';

// Timers as the process would run them, on vitest's fake clock: what runs when, not how fast.
const DAY = 24 * 3600_000;
beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('startJobTimers', () => {
  it('runs a job first shortly after start, then every period, and nothing once stopped', async () => {
    let runs = 0;
    const job: Job = { name: 'cleanup', everyMs: DAY, firstRunAfterMs: 60_000, run: async () => void (runs += 1) };
    const stop = startJobTimers([job], pino({ level: 'silent' }));

    await vi.advanceTimersByTimeAsync(59_999);
    expect(runs).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(DAY - 60_000);
    expect(runs).toBe(2);
    stop();
    await vi.advanceTimersByTimeAsync(3 * DAY);
    expect(runs).toBe(2);
  });
});
