#!/usr/bin/env node
// End-to-end check of the running infrastructure (after `node scripts/infra/infra.mjs up`):
//  1. Kafka alone: console producer → task-events → console consumer.
//  2. Through Dapr: a daprd sidecar (no app) publishes with POST /v1.0/publish/pubsub/task-events,
//     and the message is read back from Kafka with the console consumer.
//  3. State store: save and read one key through the sidecar (PostgreSQL dapr_state).
//  4. Jobs API through the scheduler, when it runs: schedule a job and read it back.
//  5. A trivial node:http app behind a second sidecar: subscription with a dead-letter topic (a
//     message the app keeps failing goes to task-events.dlq after the resiliency retries, and the
//     next message is still delivered), and the reminder-sweep cron binding at @every 2s.
//
//   node scripts/infra/smoke.mjs
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { BOOTSTRAP, kafkaTool, kafkaToolArgv } from './kafka/kafka.mjs';
import { daprdBinary, schedulerStatus } from './dapr/dapr.mjs';
import { prepareResources, startDaprd } from './dapr/daprd.mjs';
import { say, sleep, step, waitFor } from './lib.mjs';
import { freePort } from './ports.mjs';

/** @param {string} topic @param {string} needle */
async function consumeUntil(topic, needle) {
  const { stdout } = await kafkaTool(
    'org.apache.kafka.tools.consumer.ConsoleConsumer',
    ['--bootstrap-server', BOOTSTRAP, '--topic', topic, '--from-beginning', '--timeout-ms', '10000', '--property', 'print.key=true', '--property', 'print.partition=true', '--group', `smoke-${randomUUID()}`],
    { timeoutMs: 60_000 },
  ).catch((e) => ({ stdout: String(e.message) }));
  const line = stdout.split('\n').find((l) => l.includes(needle));
  if (!line) throw new Error(`no message containing ${needle} on ${topic}:\n${stdout.slice(-2000)}`);
  return line;
}

/** @param {string} key @param {string} value */
function produce(key, value) {
  const [cmd, args] = kafkaToolArgv('kafka.tools.ConsoleProducer', ['--bootstrap-server', BOOTSTRAP, '--topic', 'task-events', '--property', 'parse.key=true', '--property', 'key.separator=|']);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolvePromise(undefined) : reject(new Error(`console producer exit ${code}: ${err}`))));
    child.stdin.end(`${key}|${value}\n`);
  });
}

const results = { passed: 0, failed: 0 };
/** @param {string} name @param {() => Promise<void>} fn */
async function check(name, fn) {
  try {
    await step('smoke', name, fn);
    results.passed++;
  } catch (e) {
    results.failed++;
    say('smoke', `FAIL ${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

await check('console producer → task-events → console consumer', async () => {
  const id = `console-${randomUUID()}`;
  await produce('user-1', JSON.stringify({ type: 'task.created', id }));
  say('smoke', `consumed: ${await consumeUntil('task-events', id)}`);
});

if (!existsSync(daprdBinary())) {
  say('smoke', `daprd not built (${daprdBinary()}): skipping the Dapr checks`);
} else {
  const sched = await schedulerStatus();
  const [http, grpc] = [await freePort(), await freePort()];
  const sidecar = await step('smoke', 'starting daprd (no app)', () => startDaprd({ appId: 'smoke', daprHttpPort: http, daprGrpcPort: grpc })).then((r) => r.value);
  try {
    await check('daprd publish → Kafka task-events', async () => {
      const id = `dapr-${randomUUID()}`;
      const res = await fetch(`${sidecar.httpUrl}/v1.0/publish/pubsub/task-events?metadata.partitionKey=user-42`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'task.created', id }),
      });
      if (res.status !== 204) throw new Error(`publish returned ${res.status}: ${await res.text()}`);
      say('smoke', `consumed: ${(await consumeUntil('task-events', id)).slice(0, 300)}`);
    });
    await check('daprd state save/get (PostgreSQL dapr_state)', async () => {
      const value = { at: new Date().toISOString() };
      const save = await fetch(`${sidecar.httpUrl}/v1.0/state/statestore`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ key: 'smoke', value }]) });
      if (save.status !== 204) throw new Error(`save returned ${save.status}: ${await save.text()}`);
      const got = await fetch(`${sidecar.httpUrl}/v1.0/state/statestore/smoke`).then((r) => r.json());
      if (got.at !== value.at) throw new Error(`read back ${JSON.stringify(got)}`);
    });
    await check('daprd secret store (local.env)', async () => {
      const res = await fetch(`${sidecar.httpUrl}/v1.0/metadata`).then((r) => r.json());
      const names = (res.components ?? []).map((/** @type {{ name: string, type: string }} */ c) => `${c.name}:${c.type}`);
      say('smoke', `components: ${names.join(' ')}`);
      for (const want of ['pubsub', 'statestore', 'secretstore', 'reminder-sweep']) if (!names.some((n) => n.startsWith(`${want}:`))) throw new Error(`component ${want} not loaded`);
    });
    if (sched.running) {
      await check('Jobs API through the scheduler', async () => {
        const name = `smoke-${Date.now()}`;
        const put = await fetch(`${sidecar.httpUrl}/v1.0-alpha1/jobs/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dueTime: '1h', data: { hello: 'world' } }) });
        if (put.status !== 204) throw new Error(`schedule returned ${put.status}: ${await put.text()}`);
        const got = await fetch(`${sidecar.httpUrl}/v1.0-alpha1/jobs/${name}`);
        if (got.status !== 200) throw new Error(`get returned ${got.status}: ${await got.text()}`);
        say('smoke', `job: ${await got.text()}`);
        await fetch(`${sidecar.httpUrl}/v1.0-alpha1/jobs/${name}`, { method: 'DELETE' });
      });
    } else {
      say('smoke', 'scheduler not running: skipping the Jobs API check');
    }
  } finally {
    await sidecar.stop();
  }

  await check('app subscription: poison message → task-events.dlq, next message delivered; cron binding fires', appCheck);
}

async function appCheck() {
  const run = randomUUID().slice(0, 8);
  /** @type {{ delivered: string[], poisonAttempts: number, cron: number, options: number }} */
  const seen = { delivered: [], poisonAttempts: 0, cron: 0, options: 0 };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const json = (/** @type {number} */ code, /** @type {unknown} */ value) => {
        res.writeHead(code, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.method === 'GET' && req.url === '/dapr/subscribe') return json(200, [{ pubsubname: 'pubsub', topic: 'task-events', route: '/events', deadLetterTopic: 'task-events.dlq' }]);
      if (req.url === '/reminder-sweep') {
        if (req.method === 'OPTIONS') seen.options++;
        else seen.cron++;
        return json(200, {});
      }
      if (req.method === 'POST' && req.url === '/events') {
        const event = JSON.parse(body || '{}');
        const id = event?.data?.id ?? '';
        if (id.startsWith(`poison-${run}`)) {
          seen.poisonAttempts++;
          return json(500, { error: 'poison' });
        }
        seen.delivered.push(id);
        return json(200, { status: 'SUCCESS' });
      }
      return json(404, {});
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', () => r(undefined)));
  const appPort = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  const resources = mkdtempSync(join(tmpdir(), 'taskstream-resources-'));
  prepareResources({ targetDir: resources, cronSchedule: '@every 2s' });
  const [http, grpc] = [await freePort(), await freePort()];
  const sidecar = await startDaprd({ appId: `smoke-app-${run}`, appPort, daprHttpPort: http, daprGrpcPort: grpc, componentsPath: resources });
  try {
    const publish = async (/** @type {string} */ id) => {
      const res = await fetch(`${sidecar.httpUrl}/v1.0/publish/pubsub/task-events?metadata.partitionKey=user-poison-${run}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'task.created', id }),
      });
      if (res.status !== 204) throw new Error(`publish ${id}: ${res.status} ${await res.text()}`);
    };
    // Same partition key: the good message sits behind the poison one in the same partition.
    await publish(`poison-${run}`);
    await publish(`good-${run}`);
    const t0 = Date.now();
    await waitFor(() => seen.delivered.includes(`good-${run}`), { timeoutMs: 90_000, what: 'good message behind the poison one', describe: () => JSON.stringify(seen) });
    say('smoke', `good message delivered ${((Date.now() - t0) / 1000).toFixed(1)}s after publish; poison attempts: ${seen.poisonAttempts}`);
    say('smoke', `dead-lettered: ${(await consumeUntil('task-events.dlq', `poison-${run}`)).slice(0, 200)}`);
    await waitFor(() => seen.cron >= 1, { timeoutMs: 20_000, what: 'reminder-sweep cron POST', describe: () => JSON.stringify(seen) });
    await sleep(100);
    say('smoke', `cron binding: ${seen.cron} POST /reminder-sweep, ${seen.options} OPTIONS`);
  } finally {
    await sidecar.stop();
    server.close();
    rmSync(resources, { recursive: true, force: true });
  }
}

console.log(`smoke: ${results.passed} passed, ${results.failed} failed`);
process.exitCode = results.failed ? 1 : 0;
