import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { freePort } from '../../../../scripts/infra/ports.mjs';
import { describe, expect, it } from 'vitest';
import { migrateDatabase, openDatabase, type DatabaseHandle } from '@taskstream/db';
import { deadLetterTopic, type CloudEvent } from '@taskstream/events';
import { contractEvent, describeEventBusContract } from '../contract/event-bus-contract.js';
import { DaprBus, normalizeDelivery } from './index.js';
import type { EventBus, Subscription } from '../event-bus.js';

/**
 * The EventBus contract through a real daprd sidecar in front of real Kafka:
 * outbox → relay → DaprBus.publish → daprd → Kafka → daprd → our Fastify app → handler.
 * Needs `node scripts/infra/infra.mjs up` (PostgreSQL, Kafka) and a built daprd; without them
 * the suite fails with the reason, it is never skipped.
 */

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const KAFKA = { host: '127.0.0.1', port: 19092 };
const POSTGRES = { host: '127.0.0.1', port: 54329 };
const PUBSUB = 'pubsub';
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

interface RunningDaprd {
  pid: number;
  httpUrl: string;
  log: string;
  stop(): Promise<void>;
}
type StartDaprd = (options: {
  appId: string;
  appPort?: number;
  daprHttpPort: number;
  daprGrpcPort: number;
  logLevel?: string;
  readyTimeoutMs?: number;
  extraArgs?: string[];
}) => Promise<RunningDaprd>;

const canConnect = (target: { host: string; port: number }) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(target);
    socket.setTimeout(2000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });


/** Fails (never skips) with what is missing and how to get it. */
async function requireInfrastructure(): Promise<StartDaprd> {
  const script = `${ROOT}scripts/infra/dapr/daprd.mjs`;
  const up = 'start it with: node scripts/infra/infra.mjs up   (check: node scripts/infra/infra.mjs status)';
  if (!existsSync(script)) throw new Error(`Dapr sidecar unavailable: ${script} is missing`);
  if (!(await canConnect(KAFKA))) throw new Error(`Dapr sidecar unavailable: Kafka is not reachable on ${KAFKA.host}:${KAFKA.port}; ${up}`);
  if (!(await canConnect(POSTGRES))) throw new Error(`PostgreSQL is not reachable on ${POSTGRES.host}:${POSTGRES.port}; ${up}`);
  const mod = (await import(pathToFileURL(script).href)) as { startDaprd: StartDaprd };
  return mod.startDaprd;
}

/** A database of its own on the infra PostgreSQL, so no other relay publishes our outbox rows. */
async function createDatabase(): Promise<{ database: DatabaseHandle; drop(): Promise<void> }> {
  const name = `bus_contract_dapr_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const base = `postgres://postgres@${POSTGRES.host}:${POSTGRES.port}`;
  const admin = await openDatabase({ url: `${base}/postgres`, poolMax: 1 });
  await admin.db.execute(sql.raw(`create database "${name}"`));
  const database = await openDatabase({ url: `${base}/${name}`, poolMax: 10, applicationName: 'bus-contract-dapr' });
  await migrateDatabase(database);
  return {
    database,
    drop: async () => {
      await database.close();
      await admin.db.execute(sql.raw(`drop database if exists "${name}" with (force)`));
      await admin.close();
    },
  };
}

/**
 * What arrives on `<topic>.dlq`. Dapr forwards the original message, which does not say which
 * consumer gave up on it, so a dead letter belongs to the consumers whose handler failed on it.
 */
class DeadLetterCollector {
  private readonly arrived = new Map<string, Map<string, CloudEvent>>();
  private readonly failed = new Map<string, Set<string>>();

  add(topic: string, event: CloudEvent): void {
    const byId = this.arrived.get(topic) ?? new Map<string, CloudEvent>();
    if (!byId.has(event.id)) byId.set(event.id, event);
    this.arrived.set(topic, byId);
  }
  markFailed(consumer: string, topic: string, eventId: string): void {
    const key = `${consumer}\u0000${topic}`;
    this.failed.set(key, (this.failed.get(key) ?? new Set<string>()).add(eventId));
  }
  of(consumer: string, topic: string): CloudEvent[] {
    const failed = this.failed.get(`${consumer}\u0000${topic}`) ?? new Set<string>();
    return [...(this.arrived.get(topic)?.values() ?? [])].filter((e) => failed.has(e.id));
  }
}

/**
 * One process of a consumer app: a DaprBus, our Fastify app serving its subscription routes, and
 * a daprd sidecar for it. Every instance of one harness uses the same app id, that is the same
 * Kafka consumer group, so a new instance continues where a stopped one left off.
 */
class SidecarBus implements EventBus {
  readonly kind = 'dapr';
  private readonly bus: DaprBus;
  private readonly topics = new Set<string>();
  private app: FastifyInstance | undefined;
  private sidecar: RunningDaprd | undefined;

  constructor(
    private readonly env: { appId: string; startDaprd: StartDaprd; collector: DeadLetterCollector },
    private readonly ports: { app: number; http: number; grpc: number },
  ) {
    this.bus = new DaprBus({ daprHttpPort: ports.http, pubsubName: PUBSUB, logger, readyTimeoutMs: 30_000 });
  }

  publish(topic: string, event: CloudEvent): Promise<void> {
    return this.bus.publish(topic, event);
  }

  subscribe(s: Subscription): void {
    this.topics.add(s.topic);
    const { collector } = this.env;
    this.bus.subscribe({
      ...s,
      handler: async (event, context) => {
        try {
          await s.handler(event, context);
        } catch (err) {
          collector.markFailed(s.consumer, s.topic, event.id);
          throw err;
        }
      },
    });
  }

  async start(): Promise<void> {
    for (const topic of this.topics) {
      this.bus.subscribe({ consumer: 'contract-dead-letters', topic: deadLetterTopic(topic), handler: async (e) => this.env.collector.add(topic, e) });
    }
    const app = Fastify({ logger: false });
    await app.register(this.bus.httpRoutes);
    await app.listen({ host: '127.0.0.1', port: this.ports.app });
    this.app = app;
    try {
      this.sidecar = await this.env.startDaprd({
        appId: this.env.appId,
        appPort: this.ports.app,
        daprHttpPort: this.ports.http,
        daprGrpcPort: this.ports.grpc,
        readyTimeoutMs: 60_000,
        // A delivery held while stopping keeps daprd waiting; cut that wait short.
        extraArgs: ['--dapr-graceful-shutdown-seconds', '3'],
      });
    } catch (err) {
      await app.close();
      throw new Error(`Dapr sidecar unavailable: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    await this.bus.start();
  }

  async stop(): Promise<void> {
    // Bus first: deliveries from now on are held, so daprd can neither commit nor dead-letter
    // them while it shuts down; the next instance of the group gets them again.
    await this.bus.stop();
    await this.sidecar?.stop();
    this.sidecar = undefined;
    await this.app?.close();
    this.app = undefined;
  }
}

// An explicit failing test when something is missing (the contract's beforeAll failing alone
// shows its tests as skipped).
describe('Dapr contract prerequisites', () => {
  it('reaches Kafka, PostgreSQL and the daprd launcher', async () => {
    await requireInfrastructure();
  });
});

describeEventBusContract('dapr → kafka', async () => {
  const startDaprd = await requireInfrastructure();
  const { database, drop } = await createDatabase();
  const env = { appId: `bus-contract-${randomUUID().slice(0, 8)}`, startDaprd, collector: new DeadLetterCollector() };
  return {
    database,
    createBus: async () => new SidecarBus(env, { app: await freePort(), http: await freePort(), grpc: await freePort() }),
    deadLetters: async (consumer, topic) => env.collector.of(consumer, topic),
    close: drop,
    timeoutMs: 45_000,
  };
});

describe('DaprBus through daprd', () => {
  it('delivers our traceparent unchanged (Dapr would otherwise put its own there)', { timeout: 90_000 }, async () => {
    const startDaprd = await requireInfrastructure();
    const env = { appId: `bus-trace-${randomUUID().slice(0, 8)}`, startDaprd, collector: new DeadLetterCollector() };
    const bus = new SidecarBus(env, { app: await freePort(), http: await freePort(), grpc: await freePort() });
    const user = randomUUID();
    const received: CloudEvent[] = [];
    bus.subscribe({ consumer: 'trace', topic: 'task-updates', handler: async (e) => void (e.partitionkey === user && received.push(e)) });
    await bus.start();
    try {
      const traced = { ...contractEvent(user), traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };
      const untraced = contractEvent(user);
      await bus.publish('task-updates', traced);
      await bus.publish('task-updates', untraced);
      await expect.poll(() => received.length, { timeout: 45_000, interval: 50 }).toBe(2);
      expect(received).toEqual([traced, untraced]);
    } finally {
      await bus.stop();
    }
  });
});

describe('DaprBus delivery normalization', () => {
  const event = { ...contractEvent(randomUUID()), traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };

  it('strips what Dapr adds to our envelope and keeps our traceparent', () => {
    const delivered = { ...event, pubsubname: PUBSUB, topic: 'task-updates', traceid: event.traceparent, tracestate: '' };
    expect(normalizeDelivery(Buffer.from(JSON.stringify(delivered)))).toEqual({ ok: true, event });
  });

  it('drops a traceparent Dapr set to an empty value', () => {
    const { traceparent: _, ...plain } = event;
    expect(normalizeDelivery(JSON.stringify({ ...plain, traceparent: '', traceid: '' }))).toEqual({ ok: true, event: plain });
  });

  it('unwraps a raw payload (data_base64) and a Dapr CloudEvent whose data is our envelope', () => {
    const wrapper = { id: randomUUID(), specversion: '1.0', source: 'Dapr', type: 'com.dapr.event.sent', topic: 'task-updates', pubsubname: PUBSUB };
    const raw = { ...wrapper, datacontenttype: 'application/octet-stream', data_base64: Buffer.from(JSON.stringify(event)).toString('base64') };
    expect(normalizeDelivery(raw)).toEqual({ ok: true, event });
    expect(normalizeDelivery({ ...wrapper, datacontenttype: 'application/json', data: event })).toEqual({ ok: true, event });
  });

  it('rejects what is not an envelope', () => {
    expect(normalizeDelivery(Buffer.from('not json')).ok).toBe(false);
    expect(normalizeDelivery({ id: 'x', specversion: '1.0', data: { hello: 'world' } }).ok).toBe(false);
  });
});
