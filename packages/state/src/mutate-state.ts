import { ConflictError, type StateEntry, type StatePort } from './state-port.js';

/** What an update decides: write this value, or leave the entry as it is. */
export type StateUpdate<R> = { write: unknown; ttlSeconds?: number; result: R } | { write?: undefined; result: R };

/**
 * Read-modify-write with optimistic concurrency: `update` sees the current entry (null when
 * absent) and returns what to write; a concurrent writer makes the write conflict and the whole
 * step runs again on the fresh entry. `update` must be free of side effects, since it may rerun.
 */
export async function mutateState<R>(
  state: StatePort,
  key: string,
  update: (current: StateEntry | null) => StateUpdate<R>,
  options: { maxAttempts?: number } = {},
): Promise<R> {
  const maxAttempts = options.maxAttempts ?? 20;
  for (let attempt = 1; ; attempt++) {
    const current = await state.get(key);
    const decision = update(current);
    if (decision.write === undefined) return decision.result;
    try {
      await state.set(key, decision.write, {
        etag: current?.etag ?? null,
        ...('ttlSeconds' in decision && decision.ttlSeconds !== undefined && { ttlSeconds: decision.ttlSeconds }),
      });
      return decision.result;
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= maxAttempts) throw err;
      // Contention is between a few replicas at most; a short random pause keeps them from colliding again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }
}
