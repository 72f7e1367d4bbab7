// Experiment, not a fix: measures a proposed change to packages/db without making it.
//
// PGlite runs each query synchronously inside its async API, so a backlog of queued queries (the
// outbox relay publishing, the consumers' transactions) completes as one long chain of
// microtasks: timers and sockets wait until the whole backlog is done. The reminder scheduler's
// wake-up timer is one of them. The proposal: start every top-level PGlite query or transaction
// on a fresh event-loop turn. This applies it to the PGlite class for one benchmark run.
import { PGlite } from '@electric-sql/pglite';

type Method = (...args: unknown[]) => Promise<unknown>;
const METHODS = ['query', 'exec', 'transaction'] as const;

/** Patches PGlite so each query waits one setImmediate turn first; returns the undo. */
export function yieldBeforePgliteQueries(): () => void {
  const proto = PGlite.prototype as unknown as Record<(typeof METHODS)[number], Method>;
  const originals = METHODS.map((m) => [m, proto[m]] as const);
  for (const [m, original] of originals) {
    proto[m] = async function (this: unknown, ...args: unknown[]) {
      await new Promise((resolve) => setImmediate(resolve));
      return original.apply(this, args);
    };
  }
  return () => {
    for (const [m, original] of originals) proto[m] = original;
  };
}
