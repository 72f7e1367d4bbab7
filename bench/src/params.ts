/** A whole-number BENCH_* setting from the environment, or the fallback; out of range stops the run naming it. */
export function intParam(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max}; got "${raw}"`);
  return n;
}
