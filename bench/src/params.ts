// How the benchmarks read their BENCH_* settings: one reader per kind, so every scenario checks
// its ranges the same way and an out-of-range value stops the run naming the variable.

/** A whole-number BENCH_* setting from the environment, or the fallback; out of range stops the run naming it. */
export function intParam(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  return wholeNumber(name, raw, min, max);
}

/** A comma list of whole numbers, each from min to max (e.g. BENCH_REALTIME_RATES=10,50). */
export function intListParam(name: string, fallback: string, min: number, max: number): number[] {
  return items(name, fallback).map((item) => wholeNumber(name, item, min, max));
}

/** A comma list of choices from `allowed` (e.g. BENCH_REALTIME_DATABASES=pglite,postgres). */
export function listParam<T extends string>(name: string, fallback: string, allowed: readonly T[]): T[] {
  const values = items(name, fallback);
  for (const v of values) if (!(allowed as readonly string[]).includes(v)) throw new Error(`${name}: unknown value "${v}" (${allowed.join(', ')})`);
  return values as T[];
}

function items(name: string, fallback: string): string[] {
  const values = (process.env[name] || fallback).split(',').map((v) => v.trim());
  if (values.some((v) => v === '')) throw new Error(`${name}: empty item in "${process.env[name] ?? fallback}"`);
  return values;
}

function wholeNumber(name: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max}; got "${raw}"`);
  return n;
}
