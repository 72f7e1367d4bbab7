// PostgreSQL and Kafka for the pods: host processes of the tier's own (the engineers' shared
// `infra:up` ones stay untouched: the pods' consumer groups would steal their tests' events), on
// other ports, listening on 127.0.0.1 and on the pod network's gateway — the address the pods know
// as host.containers.internal. Built from the same parts as scripts/infra (Debian's PostgreSQL,
// Kafka's jars from the Maven cache); fresh data on every start.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { INFRA_DIR, isAlive, killGroup, runCommand, say, step, tail, waitFor } from '../../infra/lib.mjs';
import { portOpen } from '../../infra/ports.mjs';
import { startPostgres, stopPostgres } from '../../infra/postgres/postgres.mjs';
import { TOPICS, ensureKafkaJars, kafkaLibs } from '../../infra/kafka/kafka.mjs';
import { NETWORK } from './podman.mjs';

const PART = 'backing';
/** Ports of the tier's own PostgreSQL and Kafka (the shared infra uses 54329 and 19092/19093). */
export const BACKING_PORTS = Object.freeze({ postgres: 25432, kafka: 29092, kafkaController: 29093 });
/** How the pods reach them (podman puts host.containers.internal → the gateway in /etc/hosts). */
export const POD_VIEW = Object.freeze({
  host: 'host.containers.internal',
  databaseUrl: `postgres://postgres@host.containers.internal:${BACKING_PORTS.postgres}/taskstream`,
  kafkaBootstrap: `host.containers.internal:${BACKING_PORTS.kafka}`,
});

/** @param {string} stateDir */
const paths = (stateDir) => ({
  pg: join(stateDir, 'pg'),
  hba: join(stateDir, 'pg_hba.conf'),
  kafka: join(stateDir, 'kafka'),
  kafkaPid: join(stateDir, 'kafka', 'pid'),
});

/**
 * Starts both (the pod network's gateway must exist: a pod on it runs). Returns the URLs the host
 * uses; the pods use POD_VIEW.
 * @param {string} stateDir
 */
export async function startBacking(stateDir) {
  await stopBacking(stateDir);
  const p = paths(stateDir);
  rmSync(p.pg, { recursive: true, force: true });
  rmSync(p.kafka, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  // Trust on loopback and from the pod network only (a throwaway database, like scripts/infra's).
  writeFileSync(p.hba, ['local all all trust', 'host all all 127.0.0.1/32 trust', `host all all ${NETWORK.subnet} trust`, ''].join('\n'), { mode: 0o644 });
  const pg = await step(PART, `PostgreSQL on 127.0.0.1 and ${NETWORK.gateway}:${BACKING_PORTS.postgres}`, () =>
    startPostgres({ port: BACKING_PORTS.postgres, dir: p.pg, database: 'taskstream', settings: { listen_addresses: `127.0.0.1,${NETWORK.gateway}`, hba_file: p.hba, max_connections: 200 } }),
  );
  await step(PART, `Kafka on ${NETWORK.gateway}:${BACKING_PORTS.kafka}`, () => startKafka(p.kafka, p.kafkaPid));
  await step(PART, `topics ${TOPICS.join(', ')}`, () => createTopics(`${NETWORK.gateway}:${BACKING_PORTS.kafka}`));
  return { databaseUrl: pg.value.url, kafkaBootstrap: `${NETWORK.gateway}:${BACKING_PORTS.kafka}` };
}

/** Stops both; never throws. @param {string} stateDir */
export async function stopBacking(stateDir) {
  const p = paths(stateDir);
  try {
    if (existsSync(p.kafkaPid)) {
      const pid = Number(readFileSync(p.kafkaPid, 'utf8'));
      if (isAlive(pid)) await killGroup(pid, 30_000);
      rmSync(p.kafkaPid, { force: true });
    }
  } catch (e) {
    say(PART, `stopping Kafka: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    if (existsSync(p.pg)) await stopPostgres({ dir: p.pg, quiet: true });
  } catch (e) {
    say(PART, `stopping PostgreSQL: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** A single KRaft node like scripts/infra's, on the gateway address. @param {string} dir @param {string} pidFile */
async function startKafka(dir, pidFile) {
  for (const port of [BACKING_PORTS.kafka, BACKING_PORTS.kafkaController]) {
    if ((await portOpen(port)) || (await portOpen(port, NETWORK.gateway))) throw new Error(`port ${port} is taken: another deploy tier running? (node scripts/deploy/local/deploy-local.mjs down)`);
  }
  await ensureKafkaJars();
  const data = join(dir, 'data');
  const logs = join(dir, 'logs');
  mkdirSync(data, { recursive: true });
  mkdirSync(logs, { recursive: true });
  const config = join(dir, 'server.properties');
  writeFileSync(
    config,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${BACKING_PORTS.kafkaController}`,
      `listeners=PLAINTEXT://${NETWORK.gateway}:${BACKING_PORTS.kafka},CONTROLLER://127.0.0.1:${BACKING_PORTS.kafkaController}`,
      `advertised.listeners=PLAINTEXT://${NETWORK.gateway}:${BACKING_PORTS.kafka}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      `log.dirs=${data}`,
      'num.partitions=3',
      'default.replication.factor=1',
      'min.insync.replicas=1',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=3',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'auto.create.topics.enable=false',
      'group.initial.rebalance.delay.ms=0',
      '',
    ].join('\n'),
  );
  const classpath = `${kafkaLibs()}/*`;
  const log4j = `-Dlog4j.configuration=file:${join(INFRA_DIR, 'kafka', 'log4j.properties')}`;
  await runCommand('java', ['-Xmx256m', '-XX:+UseSerialGC', log4j, `-Dkafka.logs.dir=${logs}`, '-cp', classpath, 'kafka.tools.StorageTool', 'format', `--cluster-id=${randomBytes(16).toString('base64url')}`, `--config=${config}`], { timeoutMs: 180_000 });
  const out = openSync(join(logs, 'stdout.log'), 'a');
  const child = spawn('java', ['-Xms256m', '-Xmx768m', '-XX:+UseG1GC', '-Djava.awt.headless=true', log4j, `-Dkafka.logs.dir=${logs}`, '-cp', classpath, 'kafka.Kafka', config], { stdio: ['ignore', out, out], detached: true });
  closeSync(out);
  child.unref();
  const pid = child.pid ?? 0;
  writeFileSync(pidFile, String(pid));
  const serverLog = join(logs, 'server.log');
  const describe = () => `--- ${serverLog}\n${tail(serverLog)}`;
  await waitFor(() => portOpen(BACKING_PORTS.kafka, NETWORK.gateway), { timeoutMs: 180_000, what: 'Kafka broker port', describe, alive: () => isAlive(pid) });
  await waitFor(() => existsSync(serverLog) && /Kafka Server started/.test(readFileSync(serverLog, 'utf8')), { timeoutMs: 180_000, what: 'Kafka "Kafka Server started"', describe, alive: () => isAlive(pid) });
}

/** The chart's topics (deploy/k8s/strimzi/topics.yaml names them; 3 partitions here), with the project's Kafka client. @param {string} bootstrap */
async function createTopics(bootstrap) {
  const { Admin } = await import('@platformatic/kafka');
  const admin = new Admin({ clientId: 'taskstream-deploy-local', bootstrapBrokers: [bootstrap] });
  try {
    await waitFor(
      async () => {
        try {
          const existing = await admin.listTopics();
          const missing = TOPICS.filter((t) => !existing.includes(t));
          if (missing.length) await admin.createTopics({ topics: missing, partitions: 3, replicas: 1 });
          return true;
        } catch (e) {
          say(PART, `topics not created yet: ${e instanceof Error ? e.message : String(e)}`);
          return false;
        }
      },
      { timeoutMs: 120_000, intervalMs: 1000, what: 'creating the Kafka topics' },
    );
  } finally {
    await admin.close();
  }
}
