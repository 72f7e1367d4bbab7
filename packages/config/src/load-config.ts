import { z } from 'zod';
import { trustProxy } from './trust-proxy.js';

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
const int = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
const csv = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

export const ROLES = ['api', 'notifications', 'recurrence', 'audit', 'realtime'] as const;
export type Role = (typeof ROLES)[number];

const services = csv.pipe(z.array(z.enum(ROLES, { error: `must be a comma list of ${ROLES.join(', ')}` })).min(1)).default([...ROLES]);

/**
 * OpenTelemetry tracing, by the standard variables: traces go over OTLP/HTTP (protobuf) to
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, else to OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces; with
 * neither set nothing is traced. Read before the app loads (loadTracingConfig), so the
 * instrumentation is in place first, and again with everything else.
 */
const tracingShape = {
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL (the OTLP/HTTP base, e.g. http://collector:4318)' }).optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL (the full traces URL, e.g. http://collector:4318/v1/traces)' }).optional(),
  /** The service name on every span; default taskstream-<role> (taskstream when one process runs every role, taskstream-<role>-<role> for some). */
  OTEL_SERVICE_NAME: z.string().min(1).max(200).optional(),
};

/** Every environment variable the system reads. Nothing else touches process.env. */
const schema = z.object({
  ...tracingShape,
  /** Which services this process runs: all of them when embedded, one per process when distributed. */
  SERVICES: services,
  /** Dapr's app API token: the sidecar sends it to the app, whose sidecar-facing routes accept calls only with it (required with EVENT_BUS=dapr). */
  APP_API_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** The API's Dapr app id, which the recurrence service invokes. */
  API_APP_ID: z.string().min(1).default('api'),
  /** The only Dapr app id the API accepts occurrence creation from. */
  RECURRENCE_APP_ID: z.string().min(1).default('recurrence'),
  PORT: int(0, 65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./.taskstream'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_MAX: int(1, 200).default(10),
  LOG_LEVEL: logLevel.default('info'),
  /** Signs sessions and encrypts JWKS private keys; generated and kept in DATA_DIR when unset. */
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  PUBLIC_URL: z.url().optional(),
  TRUSTED_ORIGINS: csv.default([]),
  SIGN_IN_RATE_LIMIT: int(1, 10_000).default(10),
  SIGN_IN_RATE_WINDOW_SECONDS: int(1, 86_400).default(60),
  // Client addresses and sign-in per account. Behind an ingress the socket address is the proxy's,
  // so the per-address limit above needs TRUST_PROXY to see clients; failed sign-ins are also
  // limited per account, whatever address they come from.
  /** Whose X-Forwarded-For gives the client address: false, true, or a comma list of proxy IPs/CIDRs. */
  TRUST_PROXY: trustProxy.default(false),
  /** Failed sign-ins one account (email) may take per window before every attempt answers 429. */
  SIGN_IN_ACCOUNT_LIMIT: int(1, 10_000).default(5),
  SIGN_IN_ACCOUNT_WINDOW_SECONDS: int(1, 86_400).default(900),
  BODY_LIMIT_BYTES: int(1024, 50 * 1024 * 1024).default(1024 * 1024),
  // Limits and safety: what one user may keep and how fast they may call the costly endpoints.
  /** Tasks one user may keep, open and completed alike; creating more answers 409 limit_reached. */
  TASKS_PER_USER: int(1, 10_000_000).default(10_000),
  /** Tags one user may have; a new tag beyond it (POST /api/tags, or a new name on a task) answers 409. */
  TAGS_PER_USER: int(1, 100_000).default(500),
  /** Chat conversations kept per user; starting one more deletes the least recently used. */
  CHAT_CONVERSATIONS_PER_USER: int(1, 100_000).default(200),
  /** Messages (yours and the assistant's) in one conversation; beyond it, start a new conversation. */
  CHAT_MESSAGES_PER_CONVERSATION: int(2, 100_000).default(1000),
  /** POST /api/chat and POST /mcp calls per user per minute, counted in the database for every replica. */
  CHAT_RATE_LIMIT_PER_MINUTE: int(1, 100_000).default(30),
  MCP_RATE_LIMIT_PER_MINUTE: int(1, 100_000).default(120),
  /** Dead letters are kept this long for inspection and replay, then the daily cleanup deletes them. */
  DEAD_LETTER_RETENTION_DAYS: int(1, 3650).default(30),
  SHUTDOWN_TIMEOUT_MS: int(0, 600_000).default(10_000),
  /** Transport for events: in-process (embedded), Dapr pub/sub, or Kafka directly. */
  EVENT_BUS: z.enum(['inprocess', 'dapr', 'kafka']).default('inprocess'),
  DAPR_HTTP_PORT: int(1, 65535).default(3500),
  DAPR_PUBSUB_NAME: z.string().min(1).default('pubsub'),
  KAFKA_BROKERS: csv.pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port')).min(1)).default(['127.0.0.1:19092']),
  KAFKA_CLIENT_ID: z.string().min(1).default('taskstream'),
  /** Run the outbox relay in this process (one or more API processes should). */
  RELAY_ENABLED: z.enum(['true', 'false'], { error: 'must be true or false' }).default('true').transform((v) => v === 'true'),
  OUTBOX_POLL_MS: int(50, 600_000).default(2000),
  OUTBOX_RETENTION_HOURS: int(1, 24 * 365).default(168),
  /** The built web UI served at /; defaults to apps/web/dist beside the API. */
  WEB_DIR: z.string().min(1).optional(),
  /** Reminder email goes out over this SMTP server (smtp://user:pass@host:587, smtps://…); unset: no email. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  SMTP_FROM: z.string().min(3).default('Taskstream <reminders@taskstream.local>'),
  /** Web Push keys; generated on first start and kept in the database when unset. */
  VAPID_PUBLIC_KEY: z.string().regex(/^[A-Za-z0-9_-]{80,100}$/, 'must be a base64url P-256 public key').optional(),
  VAPID_PRIVATE_KEY: z.string().regex(/^[A-Za-z0-9_-]{40,50}$/, 'must be a base64url P-256 private key').optional(),
  VAPID_SUBJECT: z.string().regex(/^(mailto:|https:\/\/)/, 'must be a mailto: or https:// URL').default('mailto:admin@taskstream.local'),
  // Notification limits: what one user can make the server send.
  /** Reminder emails one user may be sent in any hour; past it their reminders are in-app (and push) only. */
  EMAIL_MAX_PER_USER_PER_HOUR: int(1, 10_000).default(30),
  /** Web Push subscriptions (browsers) one user may keep; a new one past it replaces their oldest. */
  PUSH_MAX_SUBSCRIPTIONS_PER_USER: int(1, 1000).default(10),
  /** What wakes the reminder scheduler: an in-process timer, or a Dapr job (needs the Dapr scheduler). */
  REMINDER_TRIGGER: z.enum(['inprocess', 'dapr-jobs']).default('inprocess'),
  /** Where key-value state shared by replicas lives: the state_entries table, or the Dapr state store. */
  STATE_STORE: z.enum(['table', 'dapr']).default('table'),
  DAPR_STATE_STORE_NAME: z.string().min(1).default('statestore'),
  /** Names this process among replicas (the real-time consumer is one per process); default <hostname>-<pid>. */
  INSTANCE_ID: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be 1-100 letters, digits, ".", "_" or "-"').optional(),
  /** WebSocket ping interval; a connection that missed the previous pong is dropped. */
  WS_HEARTBEAT_MS: int(100, 600_000).default(25_000),
  /** A WebSocket client with more than this queued (it stopped reading) is closed with 1013. */
  WS_MAX_BUFFERED_BYTES: int(1024, 1024 * 1024 * 1024).default(1024 * 1024),
  /** Open WebSocket connections one user may have on one replica; more are refused with 429. */
  WS_MAX_CONNECTIONS_PER_USER: int(1, 10_000).default(32),
  /** Messages kept per user for resuming after a reconnect (Last-Event-ID). */
  REALTIME_RESUME_SIZE: int(1, 10_000).default(500),
  /** A user's resume buffer expires this long after their last message. */
  REALTIME_RESUME_TTL_SECONDS: int(60, 30 * 86_400).default(7 * 86_400),
  /** Chat through a language model: an OpenAI-compatible endpoint; without base URL and model, a deterministic interpreter answers. */
  OPENAI_BASE_URL: z.url({ error: 'must be a URL like https://api.openai.com/v1' }).optional(),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_MODEL: z.string().min(1).max(200).optional(),
}).superRefine((c, ctx) => {
  // Half a model configuration is a mistake, not a request for the interpreter.
  if (c.OPENAI_BASE_URL !== undefined && c.OPENAI_MODEL === undefined) {
    ctx.addIssue({ code: 'custom', path: ['OPENAI_MODEL'], message: 'must be set when OPENAI_BASE_URL is (the chat model to use)' });
  }
  if (c.OPENAI_MODEL !== undefined && c.OPENAI_BASE_URL === undefined) {
    ctx.addIssue({ code: 'custom', path: ['OPENAI_BASE_URL'], message: 'must be set when OPENAI_MODEL is (the OpenAI-compatible endpoint)' });
  }

  // The service that sends Web Push signs with the private key of the public key the api hands out:
  // half a configured pair would make it sign with the stored pair, and every push would be refused.
  if (c.SERVICES.includes('notifications') && (c.VAPID_PUBLIC_KEY === undefined) !== (c.VAPID_PRIVATE_KEY === undefined)) {
    const missing = c.VAPID_PUBLIC_KEY === undefined ? 'VAPID_PUBLIC_KEY' : 'VAPID_PRIVATE_KEY';
    ctx.addIssue({ code: 'custom', path: [missing], message: `must be set with ${missing === 'VAPID_PUBLIC_KEY' ? 'VAPID_PRIVATE_KEY' : 'VAPID_PUBLIC_KEY'} where notifications runs (the pair signs Web Push; leave both unset to have one made and kept in the database)` });
  }

  // --- The Dapr sidecar's routes (subscriptions, cron bindings, job callbacks) ---
  // Under Dapr they are open to whoever reaches the app port unless they demand the sidecar's app token;
  // without Dapr they do not exist, so a Dapr job has nothing to call back.
  if (c.EVENT_BUS === 'dapr' && c.APP_API_TOKEN === undefined) {
    ctx.addIssue({ code: 'custom', path: ['APP_API_TOKEN'], message: 'must be set when EVENT_BUS=dapr: give the app and its daprd the same token (daprd sends it as dapr-api-token; the routes only the sidecar calls refuse requests without it)' });
  }
  if (c.REMINDER_TRIGGER === 'dapr-jobs' && c.EVENT_BUS !== 'dapr') {
    ctx.addIssue({ code: 'custom', path: ['REMINDER_TRIGGER'], message: 'dapr-jobs needs EVENT_BUS=dapr (the job calls back through the sidecar, whose routes exist only under Dapr)' });
  }
});

export type Config = z.infer<typeof schema> & { publicUrl: string };

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      'Invalid configuration:\n' +
        problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Parses the environment once at boot; empty strings count as unset. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })),
    );
  }
  const c = parsed.data;
  const host = c.HOST === '0.0.0.0' || c.HOST === '::' ? 'localhost' : c.HOST;
  return { ...c, publicUrl: c.PUBLIC_URL ?? `http://${host === '127.0.0.1' ? 'localhost' : host}:${c.PORT}` };
}

export interface TracingConfig {
  /** Where spans are sent (OTLP/HTTP, protobuf). */
  tracesUrl: string;
  serviceName: string;
}

/**
 * The tracing settings alone, for the bootstrap that starts the SDK before the app loads; null
 * when tracing is off. `process` names what runs (a role, or "embedded"). A bad value throws
 * the ConfigError loadConfig would.
 */
export function loadTracingConfig(process_: string, env: Record<string, string | undefined> = process.env): TracingConfig | null {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = z.object({ ...tracingShape, SERVICES: services }).safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })));
  }
  const c = parsed.data;
  const tracesUrl = c.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (c.OTEL_EXPORTER_OTLP_ENDPOINT && `${c.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`);
  if (!tracesUrl) return null;
  const roles = process_ === 'embedded' ? (c.SERVICES.length === ROLES.length ? [] : c.SERVICES) : [process_];
  return { tracesUrl, serviceName: c.OTEL_SERVICE_NAME ?? ['taskstream', ...roles].join('-') };
}
