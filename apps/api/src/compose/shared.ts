import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { EventBus, RetryPolicy, Subscription } from '@taskstream/bus';
import type { Config } from '@taskstream/config';
import type { DatabaseHandle } from '@taskstream/db';
import { resolveVapidKeys } from '@taskstream/notifications';
import type { OccurrencePort } from '@taskstream/recurrence';
import type { TasksContext } from '@taskstream/tasks';
import { createAuth, type Auth } from '../http/auth.js';
import { verificationMailer } from '../http/verification-mail.js';
import { resolveAuthSecret } from './auth-secret.js';

/** What tests and benchmarks change about a process besides its configuration. */
export interface ComposeOptions {
  logger: Logger;
  /** Use this database (migrated here, closed with the process) instead of the configured one. */
  database?: DatabaseHandle;
  /** The clock commands read; tests fix it. */
  now?: () => Date;
  /** Retry timing of the in-process bus (tests shorten it). */
  busRetry?: Partial<RetryPolicy>;
  /** Shorter polls and back-offs (tests), a local push service (tests), reminder lateness (benchmarks). */
  notifications?: {
    /** Trust this CA for push services: the tests' self-signed stand-in. */
    pushCa?: string;
    /**
     * Tests only: the stand-in push service listens on 127.0.0.1, which the endpoint guard refuses
     * everywhere else (subscribe and send). Deliberately not a configuration variable, so no
     * deployment can open the server to SSRF through it.
     */
    allowPrivatePushHosts?: boolean;
    delivery?: { pollIntervalMs?: number; backoff?: { baseDelayMs: number; maxDelayMs: number } };
    onFired?: (latenessMs: number[]) => void;
  };
  /** Extra consumers on this process's bus: benchmarks observe events with them. */
  observers?: Subscription[];
}

/** What the services of one process share, each built once. */
export interface Shared {
  config: Config;
  logger: Logger;
  database: DatabaseHandle;
  bus: EventBus;
  /** The tasks module's context: the database, the recurrence rules, the clock. */
  tasks: TasksContext;
  metrics: Registry;
  /** How the recurrence service reaches the API: a direct call beside it, else service invocation. */
  occurrences: OccurrencePort;
  /** Better Auth over the shared database: the API signs in with it, GET /ws verifies with it. */
  auth(): Auth;
  /** The Web Push key pair: configured, or made on first start and kept in the database. */
  vapidKeys(): Promise<{ publicKey: string; privateKey: string }>;
  options: ComposeOptions;
}

/** Built on first use only, so a role that never needs a secret never reads or makes one. */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

export function sharedAuth(config: Config, database: DatabaseHandle, logger: Logger): () => Auth {
  return once(() =>
    createAuth({
      db: database.db,
      config,
      secret: resolveAuthSecret(config.AUTH_SECRET, resolve(config.DATA_DIR)),
      sendVerificationMail: config.SMTP_URL ? verificationMailer({ url: config.SMTP_URL, from: config.SMTP_FROM }, logger.child({ component: 'verification-mail' })) : undefined,
    }),
  );
}

export function sharedVapidKeys(config: Config, database: DatabaseHandle): () => Promise<{ publicKey: string; privateKey: string }> {
  return once(() => resolveVapidKeys(database.db, { publicKey: config.VAPID_PUBLIC_KEY, privateKey: config.VAPID_PRIVATE_KEY }));
}
