// What one paced line (database × mode × rate) reports: the JSON's `results` items.
import { countedStats } from '../stats.js';
import type { Mode } from './params.js';

export type Stats = ReturnType<typeof stats>;
export const stats = countedStats;

export interface Result {
  database: string;
  server: string;
  mode: Mode;
  rate: number;
  changes: number;
  expectedMessages: number;
  /** task.changed → client, from the change's commit: the command's return, or over HTTP the response read (a lower bound). */
  commitToMessageMs: Stats;
  /** HTTP only: from the moment the PATCH started (an upper bound of commit → message). */
  requestToMessageMs?: Stats;
  /** p50 of commit → message in the first, middle and last third of the line: rising when the pipeline falls behind. */
  commitToMessageP50ByThirdMs: [number, number, number];
  /** The request or command itself. */
  changeMs: Stats;
  /** HTTP only: messages that arrived before the response had been read (negative commit → message). */
  beforeResponse?: number;
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  checks: { missingMessages: number; failedChanges: number; ok: boolean };
}
