/** ws readyState of an open socket. */
export const OPEN = 1;

/** Close codes the hub uses (RFC 6455 §7.4, IANA registry). */
export const CLOSE_CODES = {
  goingAway: 1001,
  internalError: 1011,
  /** "Try again later": the client was too slow; it reconnects and resumes. */
  tryAgainLater: 1013,
  /** Private use (4000-4999): the session was signed out or expired, or the token expired; sign in again. */
  credentialsEnded: 4001,
} as const;

/** The part of a `ws` WebSocket the hub uses, so the module needs no WebSocket library. */
export interface ClientSocket {
  readonly readyState: number;
  /** Bytes queued in the process, not yet taken by the kernel. */
  readonly bufferedAmount: number;
  send(data: string): void;
  ping(): void;
  close(code: number, reason: string): void;
  terminate(): void;
  on(event: 'pong' | 'close', listener: () => void): unknown;
}
