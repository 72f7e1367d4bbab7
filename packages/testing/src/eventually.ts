/**
 * Polls `probe` every 50 ms until it returns something truthy, and returns that; throws
 * "timed out waiting for <what>" after `timeoutMs`. For effects that arrive through the bus,
 * the scheduler or another process.
 */
export async function eventually<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
