import { ConflictError, type StateEntry, type StatePort } from './state-port.js';

/** An entry written, unconditionally, before the conditional write of the entry that refers to it. */
export interface CompanionWrite {
  key: string;
  value: unknown;
  ttlSeconds?: number;
}

/**
 * What an update decides: write this value (after its companions), or leave the entry as it is.
 * Companions let an entry stay small while it refers to bigger immutable values kept beside it:
 * they are written first, so whoever reads the entry finds them; a write that then loses its
 * conflict leaves them behind, harmless, until their TTL ends.
 */
export type StateUpdate<R> =
  | { write: unknown; ttlSeconds?: number; companions?: readonly CompanionWrite[]; result: R }
  | { write?: undefined; result: R };

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
  const written = new Set<string>();
  for (let attempt = 1; ; attempt++) {
    const current = await state.get(key);
    const decision = update(current);
    if (decision.write === undefined) return decision.result;
    // A companion already written on an earlier attempt is not written again (same key, same value).
    for (const c of decision.companions ?? []) {
      if (written.has(c.key)) continue;
      await state.set(c.key, c.value, c.ttlSeconds === undefined ? {} : { ttlSeconds: c.ttlSeconds });
      written.add(c.key);
    }
    try {
      await state.set(key, decision.write, {
        etag: current?.etag ?? null,
        ...(decision.ttlSeconds !== undefined && { ttlSeconds: decision.ttlSeconds }),
      });
      return decision.result;
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= maxAttempts) throw err;
      // Contention is between a few replicas at most; a short random pause keeps them from colliding again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }
}
