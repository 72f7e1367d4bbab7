/**
 * stdout and stderr are best effort. When their reader is gone (a closed pipe: EPIPE) Node reports
 * the failed write later, as an 'error' event on the stream; unheard, that is an uncaught
 * exception, which would crash a shutdown half-way. Once ignored, writes are simply dropped.
 */
export function tolerateLostOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', () => {});
  }
}

/** A line for the person at the terminal (banners, shutdown notes); never throws, never waits. */
export function say(line: string, to: 'stdout' | 'stderr' = 'stdout'): void {
  try {
    process[to].write(`${line}\n`);
  } catch {
    // A stream that cannot take the line is one nobody reads.
  }
}
