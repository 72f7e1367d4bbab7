// Apache Kafka 3.9.x as a single KRaft node (broker + controller in one JVM) on 127.0.0.1, run
// from jars that Maven resolves from pom.xml beside this file into
// ~/.cache/taskstream/kafka-<version>/libs. No Kafka distribution tarball is needed.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CACHE_DIR,
  aptInstall,
  INFRA_DIR,
  STATE_DIR,
  hasCommand,
  isAlive,
  killGroup,
  pidsMentioning,
  readRecord,
  runCommand,
  say,
  spawnDaemon,
  step,
  stopDaemon,
  tail,
  waitFor,
} from '../lib.mjs';
import { PORTS, portOpen } from '../ports.mjs';

const PART = 'kafka';
const KAFKA_DIR = join(INFRA_DIR, 'kafka');
const POM = join(KAFKA_DIR, 'pom.xml');
const BROKER_LOG4J = join(KAFKA_DIR, 'log4j.properties');
const TOOLS_LOG4J = join(KAFKA_DIR, 'tools-log4j.properties');
export const KAFKA_STATE = join(STATE_DIR, 'kafka');
const DATA_DIR = join(KAFKA_STATE, 'data');
const LOGS_DIR = join(KAFKA_STATE, 'logs');
const CONFIG = join(KAFKA_STATE, 'server.properties');
export const BOOTSTRAP = `127.0.0.1:${PORTS.kafkaBroker}`;

/** Application topics and their dead-letter topics, 3 partitions each. */
export const TOPICS = ['task-events', 'task-updates', 'reminders', 'notifications'].flatMap((t) => [t, `${t}.dlq`]);
const PARTITIONS = 3;

/** The Kafka version pinned in pom.xml (the cache key). */
export function kafkaVersion() {
  const m = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(POM, 'utf8'));
  if (!m) throw new Error(`no <kafka.version> in ${POM}`);
  return m[1].trim();
}

export const kafkaHome = () => join(CACHE_DIR, `kafka-${kafkaVersion()}`);
export const kafkaLibs = () => join(kafkaHome(), 'libs');
const completeMarker = () => join(kafkaHome(), '.complete');

/**
 * Resolves Kafka's jars with Maven into the version-keyed cache, unless already there.
 * @returns {Promise<{ cached: boolean, seconds: number, libs: string }>}
 */
export async function ensureKafkaJars() {
  const libs = kafkaLibs();
  if (existsSync(completeMarker()) && existsSync(libs)) {
    say(PART, `jars cached in ${libs}`);
    return { cached: true, seconds: 0, libs };
  }
  await ensureTool('java', 'openjdk-17-jdk-headless');
  await ensureTool('mvn', 'maven');
  const tmp = `${libs}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(kafkaHome(), { recursive: true });
  const { seconds } = await step(PART, `resolving Kafka ${kafkaVersion()} jars with Maven into ${libs}`, () =>
    runCommand('mvn', ['-q', '-B', '-Dstyle.color=never', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${tmp}`], {
      logFile: join(CACHE_DIR, 'logs', `kafka-${kafkaVersion()}-mvn.log`),
      timeoutMs: 20 * 60_000,
    }),
  );
  rmSync(libs, { recursive: true, force: true });
  renameSync(tmp, libs);
  writeFileSync(completeMarker(), `${new Date().toISOString()} resolved in ${seconds.toFixed(1)}s\n`);
  return { cached: false, seconds, libs };
}

/**
 * Installs the Debian package of a missing tool (a fallback: the machines here have Java 17 and
 * Maven preinstalled).
 * @param {string} tool
 * @param {string} pkg
 */
async function ensureTool(tool, pkg) {
  if (hasCommand(tool)) return;
  await aptInstall(PART, pkg, `${tool} not found`);
  if (!hasCommand(tool)) throw new Error(`installed ${pkg} but ${tool} is still not on PATH`);
}

/** JVM arguments shared by the tools. */
const toolJvm = () => ['-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', `-Dlog4j.configuration=file:${TOOLS_LOG4J}`, '-cp', `${kafkaLibs()}/*`];

/**
 * Runs one of Kafka's command-line tools (`org.apache.kafka.tools.TopicCommand`, …) to completion.
 * @param {string} mainClass
 * @param {string[]} args
 * @param {{ timeoutMs?: number, input?: string }} [opts]
 */
export function kafkaTool(mainClass, args, opts = {}) {
  return runCommand('java', [...toolJvm(), mainClass, ...args], { timeoutMs: opts.timeoutMs ?? 120_000 });
}

/** Command line (argv) for a Kafka tool, for callers that spawn it themselves (console producer). */
export const kafkaToolArgv = (/** @type {string} */ mainClass, /** @type {string[]} */ args) => ['java', [...toolJvm(), mainClass, ...args]];

function serverProperties() {
  return [
    '# Written by scripts/infra/kafka/kafka.mjs; regenerated on every start.',
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${PORTS.kafkaController}`,
    `listeners=PLAINTEXT://127.0.0.1:${PORTS.kafkaBroker},CONTROLLER://127.0.0.1:${PORTS.kafkaController}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${PORTS.kafkaBroker}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${DATA_DIR}`,
    'num.partitions=3',
    'default.replication.factor=1',
    'min.insync.replicas=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=3',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'auto.create.topics.enable=false',
    'group.initial.rebalance.delay.ms=0',
    'log.retention.hours=168',
    'log.segment.bytes=67108864',
    '',
  ].join('\n');
}

/**
 * A Kafka cluster id: 16 random bytes, URL-safe base64 without padding (22 characters). One in 64 begins
 * with '-', which the storage tool's parser reads as an option when it is a separate argument — so it is
 * passed as `--cluster-id=<id>`.
 */
const newClusterId = () => randomBytes(16).toString('base64url');

/** @returns {Promise<{ running: boolean, pid?: number, port: number, dataDir: string, log: string }>} */
export async function kafkaStatus() {
  const record = readRecord('kafka');
  const alive = record ? isAlive(record.pid) : false;
  const listening = await portOpen(PORTS.kafkaBroker);
  return { running: alive && listening, pid: alive ? record?.pid : undefined, port: PORTS.kafkaBroker, dataDir: DATA_DIR, log: join(LOGS_DIR, 'server.log') };
}

/**
 * Starts the broker (formatting its storage the first time), waits until it serves requests and
 * creates the topics. Idempotent.
 * @returns {Promise<{ alreadyRunning: boolean, jarSeconds: number, jarsCached: boolean, startSeconds: number, topicSeconds: number }>}
 */
export async function startKafka() {
  const status = await kafkaStatus();
  if (status.running) {
    say(PART, `already running (pid ${status.pid}) on ${BOOTSTRAP}`);
    const { seconds: topicSeconds } = await step(PART, 'checking topics', ensureTopics);
    return { alreadyRunning: true, jarSeconds: 0, jarsCached: true, startSeconds: 0, topicSeconds };
  }
  const record = readRecord('kafka');
  if (record && isAlive(record.pid)) {
    // Alive but not listening: a broker still starting from an earlier `up`; wait for it below.
    say(PART, `pid ${record.pid} is alive but ${BOOTSTRAP} is not open yet; waiting for it`);
  } else if (await portOpen(PORTS.kafkaBroker)) {
    throw new Error(`port ${PORTS.kafkaBroker} is taken by a process we did not start; stop it first`);
  }

  const jars = await ensureKafkaJars();
  mkdirSync(DATA_DIR, { recursive: true });
  mkdirSync(LOGS_DIR, { recursive: true });
  writeFileSync(CONFIG, serverProperties());

  let pid = record && isAlive(record.pid) ? record.pid : 0;
  // server.log keeps earlier runs: look for "Kafka Server started" only past where this run began.
  const serverLog = join(LOGS_DIR, 'server.log');
  const logSize = () => (existsSync(serverLog) ? statSync(serverLog).size : 0);
  let logOffset = pid && typeof record?.serverLogOffset === 'number' ? record.serverLogOffset : logSize();
  const { seconds: startSeconds } = await step(PART, `starting broker+controller on ${BOOTSTRAP} (controller 127.0.0.1:${PORTS.kafkaController})`, async () => {
    if (!pid) {
      logOffset = logSize();
      if (!existsSync(join(DATA_DIR, 'meta.properties'))) {
        const idFile = join(KAFKA_STATE, 'cluster-id');
        const clusterId = existsSync(idFile) ? readFileSync(idFile, 'utf8').trim() : newClusterId();
        writeFileSync(idFile, `${clusterId}\n`);
        say(PART, `formatting storage ${DATA_DIR} (cluster id ${clusterId})`);
        await runCommand('java', [...toolJvm(), 'kafka.tools.StorageTool', 'format', `--cluster-id=${clusterId}`, `--config=${CONFIG}`], { timeoutMs: 120_000 });
      }
      const started = spawnDaemon(
        'kafka',
        'java',
        [
          '-Xms256m',
          '-Xmx1g',
          '-XX:+UseG1GC',
          '-XX:MaxGCPauseMillis=20',
          '-Djava.awt.headless=true',
          `-Dkafka.logs.dir=${LOGS_DIR}`,
          `-Dlog4j.configuration=file:${BROKER_LOG4J}`,
          '-cp',
          `${kafkaLibs()}/*`,
          'kafka.Kafka',
          CONFIG,
        ],
        { log: join(LOGS_DIR, 'stdout.log'), extra: { ports: { broker: PORTS.kafkaBroker, controller: PORTS.kafkaController }, dataDir: DATA_DIR, version: kafkaVersion(), serverLogOffset: logOffset } },
      );
      pid = started.pid;
    }
    const describe = () => `--- ${join(LOGS_DIR, 'server.log')}\n${tail(join(LOGS_DIR, 'server.log'))}\n--- ${join(LOGS_DIR, 'stdout.log')}\n${tail(join(LOGS_DIR, 'stdout.log'), 10)}`;
    await waitFor(() => portOpen(PORTS.kafkaBroker), { timeoutMs: 120_000, what: 'Kafka broker port', describe, alive: () => isAlive(pid) });
    await waitFor(
      () => {
        try {
          // A rolled-over (smaller) log starts from 0.
          const text = readFileSync(serverLog);
          return /Kafka Server started/.test(text.subarray(text.length >= logOffset ? logOffset : 0).toString('utf8'));
        } catch {
          return false;
        }
      },
      { timeoutMs: 120_000, what: 'Kafka "Kafka Server started"', describe, alive: () => isAlive(pid) },
    );
  });
  const { seconds: topicSeconds } = await step(PART, `creating topics ${TOPICS.join(', ')}`, ensureTopics);
  return { alreadyRunning: false, jarSeconds: jars.seconds, jarsCached: jars.cached, startSeconds, topicSeconds };
}

/** Lists the topics (retrying while the broker settles) and creates the missing ones. */
export async function ensureTopics() {
  const list = await waitFor(
    async () => {
      try {
        const { stdout } = await kafkaTool('org.apache.kafka.tools.TopicCommand', ['--bootstrap-server', BOOTSTRAP, '--list'], { timeoutMs: 60_000 });
        return { topics: stdout.split('\n').map((s) => s.trim()).filter(Boolean) };
      } catch (e) {
        say(PART, `topic list not ready yet: ${String(e instanceof Error ? e.message : e).split('\n')[0]}`);
        return null;
      }
    },
    { timeoutMs: 120_000, intervalMs: 1000, what: 'listing Kafka topics' },
  );
  const missing = TOPICS.filter((t) => !list.topics.includes(t));
  if (missing.length === 0) {
    say(PART, `topics present: ${TOPICS.join(', ')}`);
    return;
  }
  // Each tool run is a JVM start (~2 s): create the missing topics two at a time.
  for (let i = 0; i < missing.length; i += 2) {
    await Promise.all(
      missing.slice(i, i + 2).map((topic) =>
        kafkaTool('org.apache.kafka.tools.TopicCommand', [
          '--bootstrap-server',
          BOOTSTRAP,
          '--create',
          '--if-not-exists',
          '--topic',
          topic,
          '--partitions',
          String(PARTITIONS),
          '--replication-factor',
          '1',
        ]).then(() => say(PART, `created topic ${topic} (${PARTITIONS} partitions)`)),
      ),
    );
  }
}

/** Stops the broker we started (also one whose pid file got lost). */
export async function stopKafka() {
  const result = await stopDaemon('kafka', 30_000);
  // Any other JVM still running on our config (e.g. started by an interrupted `up`).
  const strays = pidsMentioning(CONFIG, 'java');
  for (const pid of strays) await killGroup(pid, 30_000);
  say(PART, result === 'stopped' || strays.length ? `stopped${strays.length ? ` (also ${strays.length} stray process(es))` : ''}` : 'not running');
}
