import type { Logger } from 'pino';
import { CLOSE_CODES, OPEN, type ClientSocket } from './client-socket.js';
import type { ControlMessage, RealtimeMessage } from './realtime-message.js';
import type { ResumeBuffer } from './resume-buffer.js';

export interface RealtimeHubOptions {
  buffer: ResumeBuffer;
  logger: Logger;
  /** Ping interval; a connection that has not answered the previous ping is terminated. */
  heartbeatMs: number;
  /** A connection with more than this queued in the process is closed with 1013. */
  maxBufferedBytes: number;
  /**
   * Of these session tokens, the ones still signed in and unexpired: asked once per heartbeat for
   * every session-authenticated connection of this replica; the others are closed with 4001.
   */
  liveSessions?: (tokens: string[]) => Promise<Set<string>>;
  /** Clock for credential expiry; default Date.now. */
  now?: () => number;
}

/** What authenticated a connection, so it ends when that does. */
export interface ConnectionCredential {
  /** The session's token, when a session (cookie or bearer) authenticated the upgrade; checked live each heartbeat. */
  sessionToken?: string;
  /** When a credential that cannot be checked live (a JWT) expires (epoch ms). */
  expiresAt?: number;
}

export interface RealtimeStats {
  connections: number;
  users: number;
  messagesSent: number;
  slowClientCloses: number;
  heartbeatTerminations: number;
  resyncs: number;
  /** Connections closed because their session or token ended. */
  credentialCloses: number;
}

/** A connection slot held by `reserve`. */
export interface Slot {
  release(): void;
}

interface Connection {
  socket: ClientSocket;
  userId: string;
  /** The newest seq this connection has been sent (or chose to skip); anything at or below is not sent again. */
  lastSeq: number;
  alive: boolean;
  closed: boolean;
  credential: ConnectionCredential;
}

/**
 * The WebSocket fan-out of one replica: every open connection of a user gets that user's messages,
 * in the order this replica's consumer received them, nobody else's.
 *
 * Per user, appends to the resume buffer, fan-out and the start of a connection (hello, replay)
 * run one after another. A connection starting therefore reads the buffer while no message of
 * its user is in flight on this replica: what the read sees is replayed, what comes later is sent
 * live, and the seq each message got in the buffer drops what the connection already has (a
 * redelivered event, or one another replica buffered before this one received it).
 */
export class RealtimeHub {
  private readonly users = new Map<string, Set<Connection>>();
  /** Slots held for upgrades accepted but not yet connected (see reserve). */
  private readonly reserved = new Map<string, number>();
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly counts = { messagesSent: 0, slowClientCloses: 0, heartbeatTerminations: 0, resyncs: 0, credentialCloses: 0 };
  private closing = false;
  private checkingCredentials = false;

  constructor(private readonly options: RealtimeHubOptions) {
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Buffers the message for resuming, then sends it to the user's connections on this replica. */
  publish(userId: string, message: RealtimeMessage, time: string): Promise<void> {
    return this.serially(userId, async () => {
      const appended = await this.options.buffer.append(userId, message, time);
      if (appended.status === 'stale') {
        this.options.logger.warn({ userId, eventId: message.id }, 'event older than the resume buffer; not pushed');
        return;
      }
      const connections = this.users.get(userId);
      if (!connections) return;
      const payload = JSON.stringify(message);
      for (const c of connections) {
        if (appended.seq <= c.lastSeq) continue;
        c.lastSeq = appended.seq;
        this.send(c, payload);
      }
    });
  }

  /**
   * Starts a connection: `hello`, then (with `lastEventId`) every buffered message after that id,
   * or `resync` when it is not buffered; from then on, live messages.
   */
  async connect(socket: ClientSocket, userId: string, lastEventId?: string, credential: ConnectionCredential = {}, slot?: Slot): Promise<void> {
    const c: Connection = { socket, userId, lastSeq: 0, alive: true, closed: false, credential };
    socket.on('pong', () => {
      c.alive = true;
    });
    socket.on('close', () => this.remove(c));
    if (this.closing) {
      slot?.release();
      return socket.close(CLOSE_CODES.goingAway, 'server shutting down');
    }
    try {
      await this.serially(userId, async () => {
        const { newest, after } = await this.options.buffer.resumeFrom(userId, lastEventId);
        this.send(c, JSON.stringify({ type: 'hello', id: newest?.id ?? null } satisfies ControlMessage));
        if (lastEventId !== undefined) {
          if (after === 'unknown') {
            this.counts.resyncs++;
            this.send(c, JSON.stringify({ type: 'resync' } satisfies ControlMessage));
          } else {
            for (const e of after) this.send(c, JSON.stringify(e.message));
          }
        }
        c.lastSeq = newest?.seq ?? 0;
        // The slot turns into the connection in one step, so the user's count never dips or doubles.
        slot?.release();
        if (c.closed) return;
        const set = this.users.get(userId) ?? new Set<Connection>();
        this.users.set(userId, set.add(c));
      });
    } catch (err) {
      this.options.logger.error({ err, userId }, 'could not start a real-time connection');
      this.closeWith(c, CLOSE_CODES.internalError, 'could not read the resume buffer; reconnect');
    } finally {
      slot?.release();
    }
  }

  /**
   * Holds one of the user's connections from the moment an upgrade is accepted until `connect`
   * adds it (or the upgrade fails and the caller releases it). Checking the cap and reserving in
   * the same synchronous step is what keeps parallel upgrades from all passing the check while
   * none of them is connected yet. Releasing twice is harmless.
   */
  reserve(userId: string): Slot {
    this.reserved.set(userId, (this.reserved.get(userId) ?? 0) + 1);
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        const left = (this.reserved.get(userId) ?? 1) - 1;
        if (left > 0) this.reserved.set(userId, left);
        else this.reserved.delete(userId);
      },
    };
  }

  /** Open and reserved connections of one user on this replica (GET /ws refuses more than the configured cap). */
  connectionsOf(userId: string): number {
    return (this.users.get(userId)?.size ?? 0) + (this.reserved.get(userId) ?? 0);
  }

  stats(): RealtimeStats {
    let connections = 0;
    for (const set of this.users.values()) connections += set.size;
    return { connections, users: this.users.size, ...this.counts };
  }

  /** Stops the heartbeat and closes every connection with 1001 (they reconnect elsewhere). */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.heartbeat);
    const all = this.connections();
    for (const c of all) this.closeWith(c, CLOSE_CODES.goingAway, 'server shutting down');
    await Promise.allSettled([...this.chains.values()]);
  }

  /** Every open connection of this replica, as a list that closing some of them does not disturb. */
  private connections(): Connection[] {
    return [...this.users.values()].flatMap((set) => [...set]);
  }

  private send(c: Connection, payload: string): void {
    if (c.closed || c.socket.readyState !== OPEN) return;
    // A client that does not read makes the queue grow with every message; past the limit it is
    // cut off and comes back through a resume, instead of holding memory here.
    if (c.socket.bufferedAmount > this.options.maxBufferedBytes) {
      this.counts.slowClientCloses++;
      this.options.logger.warn({ userId: c.userId, bufferedBytes: c.socket.bufferedAmount }, 'real-time client too slow; closing it (1013)');
      this.closeWith(c, CLOSE_CODES.tryAgainLater, 'too slow; reconnect and resume');
      return;
    }
    c.socket.send(payload);
    this.counts.messagesSent++;
  }

  private beat(): void {
    for (const set of this.users.values()) {
      for (const c of set) {
        if (!c.alive) {
          this.counts.heartbeatTerminations++;
          this.options.logger.info({ userId: c.userId }, 'real-time client missed a heartbeat; terminating it');
          this.remove(c);
          c.socket.terminate();
          continue;
        }
        c.alive = false;
        if (c.socket.readyState === OPEN) c.socket.ping();
      }
    }
    void this.checkCredentials();
  }

  /**
   * Closes (4001) every connection whose token or session has expired, or whose session was signed
   * out: one lookup per heartbeat for all of this replica's sessions. A failed lookup closes
   * nothing; the next heartbeat asks again.
   */
  async checkCredentials(): Promise<void> {
    if (this.checkingCredentials) return;
    this.checkingCredentials = true;
    try {
      const now = (this.options.now ?? Date.now)();
      const all = this.connections();
      const ended = (c: Connection, why: string) => {
        this.counts.credentialCloses++;
        this.options.logger.info({ userId: c.userId }, `real-time client's ${why}; closing it (4001)`);
        this.closeWith(c, CLOSE_CODES.credentialsEnded, `${why}; sign in again`);
      };
      for (const c of all) if (c.credential.expiresAt !== undefined && c.credential.expiresAt <= now) ended(c, 'credentials expired');
      const lookup = this.options.liveSessions;
      const bySession = all.filter((c) => !c.closed && c.credential.sessionToken !== undefined);
      if (!lookup || bySession.length === 0) return;
      const live = await lookup([...new Set(bySession.map((c) => c.credential.sessionToken!))]);
      for (const c of bySession) if (!c.closed && !live.has(c.credential.sessionToken!)) ended(c, 'session ended');
    } catch (err) {
      this.options.logger.warn({ err }, 'could not check the sessions of real-time clients');
    } finally {
      this.checkingCredentials = false;
    }
  }

  private closeWith(c: Connection, code: number, reason: string): void {
    this.remove(c);
    if (c.socket.readyState === OPEN) c.socket.close(code, reason);
  }

  private remove(c: Connection): void {
    c.closed = true;
    const set = this.users.get(c.userId);
    if (!set?.delete(c)) return;
    if (set.size === 0) this.users.delete(c.userId);
  }

  /** Runs `step` after every earlier step of this user (failed ones included). */
  private serially<T>(userId: string, step: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(userId) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(step);
    this.chains.set(userId, next);
    void next
      .finally(() => {
        if (this.chains.get(userId) === next) this.chains.delete(userId);
      })
      .catch(() => {});
    return next;
  }
}
