import type { IntervalHistogram } from 'node:perf_hooks';

/** Latency samples of one phase and what they add up to. */
export interface LatencyStats {
  mean: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface PhaseStats {
  /** Requests (HTTP calls or SQL transactions/queries) that were started. */
  requests: number;
  ok: number;
  failed: number;
  /** Failures by HTTP status ("500", "429"…) or error kind ("network", "sql:23505"…). */
  errors: Record<string, number>;
  /** Tasks created or read, for item throughput. */
  items: number;
  wallSeconds: number;
  throughputRps: number;
  itemsPerSecond: number;
  latencyMs: LatencyStats;
}

/** Nearest-rank percentile of ascending samples. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? 0;
}

export function latencyStats(samples: number[]): LatencyStats {
  const sorted = Float64Array.from(samples).sort();
  const sum = sorted.reduce((a, b) => a + b, 0);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    mean: round(sorted.length ? sum / sorted.length : 0),
    min: round(sorted[0] ?? 0),
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? 0),
  };
}

/** latencyStats with the number of samples first, as the scenarios' JSON shows them. */
export const countedStats = (samples: number[]) => ({ count: samples.length, ...latencyStats(samples) });

/** An event-loop delay histogram (nanoseconds) as milliseconds: p50, p99 and max. */
export function eventLoopDelayMs(loop: IntervalHistogram): { p50: number; p99: number; max: number } {
  const ms = (ns: number) => Math.round(ns / 1e3) / 1e3;
  return { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) };
}

/** Collects one phase's samples; `summary` turns them into PhaseStats. */
export class PhaseRecorder {
  readonly latencies: number[] = [];
  readonly errors: Record<string, number> = {};
  /** A few failure descriptions, to show what went wrong. */
  readonly examples: string[] = [];
  requests = 0;
  ok = 0;
  failures = 0;
  items = 0;
  private started = 0;
  private ended = 0;

  start(): void {
    this.started = performance.now();
  }

  end(): void {
    this.ended = performance.now();
  }

  /** Times one request; a thrown error counts as a failure under `errorKey(e)` and is rethrown. */
  async time<T>(fn: () => Promise<T>): Promise<T> {
    this.requests++;
    const t0 = performance.now();
    try {
      const value = await fn();
      this.latencies.push(performance.now() - t0);
      this.ok++;
      return value;
    } catch (e) {
      this.failures++;
      const key = errorKey(e);
      this.errors[key] = (this.errors[key] ?? 0) + 1;
      if (this.examples.length < 5) this.examples.push(e instanceof Error ? e.message.slice(0, 500) : String(e));
      throw e;
    }
  }

  get failed(): number {
    return this.failures;
  }

  /** Started but not finished yet. */
  get inFlight(): number {
    return this.requests - this.ok - this.failures;
  }

  summary(): PhaseStats {
    const wallSeconds = Math.max(1e-9, (this.ended || performance.now()) - this.started) / 1000;
    return {
      requests: this.requests,
      ok: this.ok,
      failed: this.failed,
      errors: { ...this.errors },
      items: this.items,
      wallSeconds: Math.round(wallSeconds * 1000) / 1000,
      throughputRps: Math.round((this.ok / wallSeconds) * 10) / 10,
      itemsPerSecond: Math.round((this.items / wallSeconds) * 10) / 10,
      latencyMs: latencyStats(this.latencies),
    };
  }
}

/** An HTTP answer other than the expected one. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

function errorKey(e: unknown): string {
  if (e instanceof HttpError) return String(e.status);
  if (e instanceof Error && e.name === 'AbortError') return 'aborted';
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') return /^[0-9A-Z]{5}$/.test(code) ? `sql:${code}` : code;
  return e instanceof Error ? e.name : 'error';
}
