// What one reminders run on one database reports: the JSON's `results` items (without samples).
import { countedStats, percentile } from '../stats.js';

export type Stats = ReturnType<typeof stats>;

/** countedStats with p90 in place of p95: the README reads lateness at p50, p90 and p99. */
export const stats = (samples: number[]) => {
  const { count, mean, min, p50, p99, max } = countedStats(samples);
  return { count, mean, min, p50, p90: Math.round(percentile(Float64Array.from(samples).sort(), 90) * 1000) / 1000, p99, max };
};

export interface Sample {
  /** Fire instant, ms since the window opened. */
  at: number;
  schedulerMs: number;
  endToEndMs: number;
}

export interface Result {
  database: string;
  server: string;
  setup: Record<string, number>;
  schedulerLatenessMs: Stats;
  endToEndLatenessMs: Stats;
  notificationChangedLatenessMs: Stats;
  schedulerBatches: { count: number; meanSize: number; maxSize: number };
  duringWindow: { eventLoopDelayMs: { p50: number; p99: number; max: number }; processCpuShare: number; lastNotificationAfterWindowMs: number };
  checks: Record<string, number | boolean> & { ok: boolean };
  samples: Sample[];
}

/** The measured reminders fire from `start` (epoch ms) over `ms`. */
export interface FireWindow {
  start: number;
  ms: number;
}

export const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
