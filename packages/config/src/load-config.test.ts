import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.js';

describe('loadConfig', () => {
  it('applies embedded defaults', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(8080);
    expect(c.DATA_DIR).toBe('./.taskstream');
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.publicUrl).toBe('http://localhost:8080');
  });

  it('parses values and treats empty strings as unset', () => {
    const c = loadConfig({ PORT: '9090', DATABASE_URL: 'postgres://u@127.0.0.1/db', LOG_LEVEL: '', TRUSTED_ORIGINS: 'http://a, http://b' });
    expect(c.PORT).toBe(9090);
    expect(c.LOG_LEVEL).toBe('info');
    expect(c.TRUSTED_ORIGINS).toEqual(['http://a', 'http://b']);
  });

  it('names every bad variable', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as Error).message;
      expect(msg).toMatch(/PORT/);
      expect(msg).toMatch(/DATABASE_URL: must be a postgres/);
      expect(msg).toMatch(/LOG_LEVEL/);
    }
  });
});

describe('event settings', () => {
  it('defaults to the in-process bus with the relay on', () => {
    const c = loadConfig({});
    expect(c.EVENT_BUS).toBe('inprocess');
    expect(c.RELAY_ENABLED).toBe(true);
    expect(c.KAFKA_BROKERS).toEqual(['127.0.0.1:19092']);
  });

  it('parses broker lists and rejects unknown transports', () => {
    expect(loadConfig({ KAFKA_BROKERS: 'a:9092, b:9093', RELAY_ENABLED: 'false' })).toMatchObject({ KAFKA_BROKERS: ['a:9092', 'b:9093'], RELAY_ENABLED: false });
    expect(() => loadConfig({ EVENT_BUS: 'rabbitmq' })).toThrow(/EVENT_BUS/);
    expect(() => loadConfig({ KAFKA_BROKERS: 'nohost' })).toThrow(/KAFKA_BROKERS/);
  });
});

describe('Dapr sidecar settings', () => {
  it('refuses half a VAPID key pair where notifications runs, and lets the api have the public key alone', () => {
    const pub = 'B'.repeat(87);
    expect(() => loadConfig({ VAPID_PUBLIC_KEY: pub })).toThrow(/VAPID_PRIVATE_KEY: must be set with VAPID_PUBLIC_KEY where notifications runs/);
    expect(() => loadConfig({ SERVICES: 'notifications', VAPID_PRIVATE_KEY: 'k'.repeat(43) })).toThrow(/VAPID_PUBLIC_KEY: must be set with VAPID_PRIVATE_KEY/);
    expect(loadConfig({ SERVICES: 'api', VAPID_PUBLIC_KEY: pub }).VAPID_PUBLIC_KEY).toBe(pub);
  });

  it('refuses EVENT_BUS=dapr without APP_API_TOKEN, naming it', () => {
    expect(() => loadConfig({ EVENT_BUS: 'dapr' })).toThrow(/APP_API_TOKEN: must be set when EVENT_BUS=dapr/);
    expect(loadConfig({ EVENT_BUS: 'dapr', APP_API_TOKEN: 'a-token-of-24-characters' }).APP_API_TOKEN).toBe('a-token-of-24-characters');
  });

  it('refuses REMINDER_TRIGGER=dapr-jobs without EVENT_BUS=dapr, naming it', () => {
    expect(() => loadConfig({ REMINDER_TRIGGER: 'dapr-jobs', EVENT_BUS: 'kafka' })).toThrow(/REMINDER_TRIGGER: dapr-jobs needs EVENT_BUS=dapr/);
    expect(loadConfig({ REMINDER_TRIGGER: 'dapr-jobs', EVENT_BUS: 'dapr', APP_API_TOKEN: 'a-token-of-24-characters' }).REMINDER_TRIGGER).toBe('dapr-jobs');
  });
});

describe('real-time and state settings', () => {
  it('defaults to the state table, a 25 s heartbeat, 1 MiB per slow client, 32 sockets per user and 500 resumable messages', () => {
    expect(loadConfig({})).toMatchObject({
      STATE_STORE: 'table',
      DAPR_STATE_STORE_NAME: 'statestore',
      WS_HEARTBEAT_MS: 25_000,
      WS_MAX_BUFFERED_BYTES: 1024 * 1024,
      WS_MAX_CONNECTIONS_PER_USER: 32,
      REALTIME_RESUME_SIZE: 500,
      REALTIME_RESUME_TTL_SECONDS: 7 * 86_400,
    });
    expect(loadConfig({}).INSTANCE_ID).toBeUndefined();
  });

  it('parses overrides and rejects bad values', () => {
    expect(loadConfig({ STATE_STORE: 'dapr', INSTANCE_ID: 'realtime-7f9c-0', WS_HEARTBEAT_MS: '500' })).toMatchObject({ STATE_STORE: 'dapr', INSTANCE_ID: 'realtime-7f9c-0', WS_HEARTBEAT_MS: 500 });
    expect(() => loadConfig({ STATE_STORE: 'redis' })).toThrow(/STATE_STORE/);
    expect(() => loadConfig({ INSTANCE_ID: 'has space' })).toThrow(/INSTANCE_ID/);
    expect(() => loadConfig({ REALTIME_RESUME_SIZE: '0' })).toThrow(/REALTIME_RESUME_SIZE/);
  });
});
