import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig, ROLES, type Role } from '@taskstream/config';
import { deadLetterTopic, TOPICS } from '@taskstream/events';
import { createTestDatabase } from '@taskstream/testing';
import { bearerToken } from '../testing/test-app.js';
import { composeProcess } from './compose-process.js';
import { MODULE_MIGRATIONS } from './module-migrations.js';

/**
 * The chart gives each role's sidecar the topics it may publish and subscribe to
 * (roles.<role>.dapr.publish/subscribe, rendered as the pub/sub component's scopes; every topic is
 * protected). Too few and Dapr refuses a delivery or a dead letter the code needs; too many and a
 * compromised pod may publish, say, a forged reminders event. This checks the chart against what
 * the code asks Dapr for: each role composed alone under Dapr, as its pod runs it, and asked for
 * GET /dapr/subscribe, as its sidecar asks.
 */

interface RoleValues {
  secrets?: string[];
  dapr: { enabled: boolean; publish?: string[]; subscribe?: string[] };
  env?: Record<string, string>;
}
const values = parse(readFileSync(new URL('../../../../deploy/helm/taskstream/values.yaml', import.meta.url), 'utf8')) as {
  roles: Record<string, RoleValues>;
  secrets: { required: string[]; optional: string[] };
};
const TOKEN = `app-token-${randomUUID()}`;
const sorted = (list: Iterable<string>) => [...new Set(list)].sort();

async function subscriptionsOf(role: Role): Promise<{ topic: string; deadLetterTopic?: string }[]> {
  const config = loadConfig({
    SERVICES: role,
    EVENT_BUS: 'dapr',
    APP_API_TOKEN: TOKEN,
    DATA_DIR: join(tmpdir(), 'taskstream-test-data'),
    WEB_DIR: join(tmpdir(), 'taskstream-test-no-web-ui'),
    ...values.roles[role]!.env,
  });
  const composed = await composeProcess(config, { logger: pino({ level: 'silent' }), database: await createTestDatabase(MODULE_MIGRATIONS) });
  try {
    await composed.app.ready();
    const res = await composed.app.inject({ method: 'GET', url: '/dapr/subscribe', headers: { 'dapr-api-token': TOKEN } });
    expect(res.statusCode).toBe(200);
    return res.json();
  } finally {
    await composed.close();
  }
}

describe('the chart gives each role the pub/sub topics its code uses, and no others', () => {
  it.each(ROLES)('%s', async (role) => {
    const chart = values.roles[role]!;
    expect(chart.dapr.enabled).toBe(true);
    const subscriptions = await subscriptionsOf(role);
    const subscribed = subscriptions.map((s) => s.topic);
    // Its sidecar forwards what the app cannot handle to <topic>.dlq, which is a publish.
    const deadLetters = subscriptions.flatMap((s) => (s.deadLetterTopic ? [s.deadLetterTopic] : []));
    expect(deadLetters).toEqual(subscribed.map(deadLetterTopic));
    // A role with the outbox relay publishes whatever any role wrote to the shared outbox: every topic.
    const relays = chart.env?.RELAY_ENABLED !== 'false';
    const published = [...(relays ? Object.values(TOPICS) : []), ...deadLetters];
    expect(sorted(chart.dapr.subscribe ?? [])).toEqual(sorted(subscribed));
    expect(sorted(chart.dapr.publish ?? [])).toEqual(sorted(published));
  });

  it('runs the relay only in roles that write to the outbox (the api and notifications)', () => {
    const relaying = ROLES.filter((role) => values.roles[role]!.env?.RELAY_ENABLED !== 'false');
    expect(relaying).toEqual(['api', 'notifications']);
  });
});

describe('the chart gives each role only the secrets it uses', () => {
  const expected: Record<Role, string[]> = {
    // Sessions and tokens (Better Auth), verification mail, the chat's model.
    api: ['DATABASE_URL', 'AUTH_SECRET', 'SMTP_URL', 'OPENAI_API_KEY'],
    // Reminder mail and Web Push signing.
    notifications: ['DATABASE_URL', 'SMTP_URL', 'VAPID_PRIVATE_KEY'],
    recurrence: ['DATABASE_URL'],
    audit: ['DATABASE_URL'],
    // Verifies session cookies and JWTs on GET /ws.
    realtime: ['DATABASE_URL', 'AUTH_SECRET'],
  };
  it.each(ROLES)('%s', (role) => {
    expect(sorted(values.roles[role]!.secrets ?? [])).toEqual(sorted(expected[role]));
  });

  it.each(ROLES)('%s starts and serves without the secrets it is not given', async (role) => {
    const given = new Set(values.roles[role]!.secrets ?? []);
    const env: Record<string, string> = {
      AUTH_SECRET: 'test-secret-test-secret-test-secret-0123',
      SMTP_URL: 'smtp://127.0.0.1:1',
      OPENAI_API_KEY: 'sk-test',
      VAPID_PRIVATE_KEY: 'k'.repeat(43),
    };
    const dataDir = join(tmpdir(), `taskstream-test-secrets-${role}-${randomUUID()}`);
    const config = loadConfig({
      SERVICES: role,
      EVENT_BUS: 'dapr',
      APP_API_TOKEN: TOKEN,
      // The public key is a setting (the chart's ConfigMap), not a secret: every role may have it.
      VAPID_PUBLIC_KEY: 'B'.repeat(87),
      // Without AUTH_SECRET a role that signs or verifies sessions makes a secret of its own here.
      DATA_DIR: dataDir,
      WEB_DIR: join(tmpdir(), 'taskstream-test-no-web-ui'),
      ...Object.fromEntries(Object.entries(env).filter(([key]) => given.has(key))),
      ...values.roles[role]!.env,
    });
    const composed = await composeProcess(config, { logger: pino({ level: 'silent' }), database: await createTestDatabase(MODULE_MIGRATIONS) });
    try {
      await composed.app.ready();
      expect((await composed.app.inject({ method: 'GET', url: '/readyz' })).statusCode, role).toBe(200);
      expect(existsSync(join(dataDir, 'auth-secret')), `${role} made an auth secret of its own`).toBe(false);
      if (role === 'api') {
        // The api hands out the configured public key, never one of a pair made for lack of the private key.
        const signUp = await composed.app.inject({ method: 'POST', url: '/api/auth/sign-up/email', payload: { email: `${randomUUID()}@example.com`, password: 'correct horse battery', name: 'Ada' } });
        const headers = { authorization: `Bearer ${bearerToken(signUp)}` };
        const key = await composed.app.inject({ method: 'GET', url: '/api/notifications/push/public-key', headers });
        expect(key.json()).toEqual({ publicKey: 'B'.repeat(87) });
      }
    } finally {
      await composed.close();
    }
  });
});
