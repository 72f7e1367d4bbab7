import { z } from 'zod';

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

/** Every environment variable the system reads. Nothing else touches process.env. */
const schema = z.object({
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
  BODY_LIMIT_BYTES: int(1024, 50 * 1024 * 1024).default(1024 * 1024),
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
