import type { PhaseRecorder } from './stats.js';

export interface PoolOptions {
  label: string;
  jobs: number;
  concurrency: number;
  recorder: PhaseRecorder;
  signal: AbortSignal;
  /** Stop the phase once this many jobs failed (the run is then reported as broken). */
  maxFailures?: number;
  quiet?: boolean;
}

/**
 * Runs `jobs` jobs with `concurrency` workers; each worker takes the next index when it is done.
 * Prints progress at every 10% to stderr. Failed jobs are counted by the recorder, not retried.
 */
export async function runPool(options: PoolOptions, job: (index: number, worker: number) => Promise<void>): Promise<void> {
  const { label, jobs, recorder, signal } = options;
  const maxFailures = options.maxFailures ?? Math.max(20, Math.ceil(jobs * 0.05));
  let next = 0;
  let done = 0;
  let nextReport = 0.1;
  let failedJobs = 0;
  const state: { stop: Error | null } = { stop: null };
  recorder.start();

  const worker = async (w: number) => {
    while (!state.stop && !signal.aborted) {
      const index = next++;
      if (index >= jobs) return;
      try {
        await job(index, w);
      } catch {
        failedJobs++;
        if (failedJobs >= maxFailures) state.stop = new Error(`${label}: ${failedJobs} jobs failed; stopping (${JSON.stringify(recorder.errors)}; e.g. ${recorder.examples[0] ?? '?'})`);
      }
      done++;
      if (!options.quiet && done / jobs >= nextReport - 1e-9) {
        while (done / jobs >= nextReport - 1e-9) nextReport += 0.1;
        const s = recorder.summary();
        progress(`${label}: ${Math.round((done / jobs) * 100)}% (${done}/${jobs} jobs, ${s.ok} requests ok, ${s.failed} failed, ${s.throughputRps} req/s)`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, jobs)) }, (_, w) => worker(w)));
  recorder.end();
  if (signal.aborted) throw new Error(`${label}: aborted (${String(signal.reason)})`);
  if (state.stop) throw state.stop;
}

export function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
