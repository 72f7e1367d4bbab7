#!/usr/bin/env node
// Local infrastructure for Taskstream as plain processes on 127.0.0.1 (no Docker):
// PostgreSQL, Apache Kafka (single KRaft node) with our topics, the Dapr scheduler, and Jaeger
// (OTLP receiver + trace query API, for the tracing test).
//
//   node scripts/infra/infra.mjs up [--build-dapr]   start everything (idempotent; builds Jaeger on first use)
//   node scripts/infra/infra.mjs down                stop everything we started (sidecars too)
//   node scripts/infra/infra.mjs status [--json]     what runs where
//   node scripts/infra/infra.mjs build-dapr [--force] build daprd + scheduler into the cache
//   node scripts/infra/infra.mjs build-jaeger [--force] build Jaeger into the cache
//
// State: .taskstream/infra/ (gitignored). Installs: ~/.cache/taskstream/<tool>-<version>/.
// See scripts/infra/README.md.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPostgres, stopPostgres } from './postgres/postgres.mjs';
import { BOOTSTRAP, TOPICS, kafkaHome, kafkaStatus, kafkaVersion, startKafka, stopKafka } from './kafka/kafka.mjs';
import { SCHEDULER_ADDRESS, buildDapr, daprVersion, daprdBinary, schedulerStatus, startScheduler, stopScheduler } from './dapr/dapr.mjs';
import { OTLP_GRPC_ADDRESS, OTLP_HTTP_URL, QUERY_URL, buildJaeger, jaegerStatus, jaegerVersion, startJaeger, stopJaeger } from './jaeger/jaeger.mjs';
import { CACHE_DIR, RESOURCES_DIR, STATE_DIR, allRecords, elapsed, isAlive, killGroup, pidFile, say, step } from './lib.mjs';
import { PORTS, portOpen } from './ports.mjs';

const PG_DIR = join(STATE_DIR, 'pg');
const DATABASES = ['taskstream', 'dapr_state'];
const pgUrl = (/** @type {string} */ db) => `postgres://postgres@127.0.0.1:${PORTS.postgres}/${db}`;

async function up(/** @type {string[]} */ flags) {
  const t0 = Date.now();
  mkdirSync(STATE_DIR, { recursive: true });
  /** @type {Record<string, number | string | boolean>} */
  const timings = {};

  const pg = await step('postgres', `starting PostgreSQL on 127.0.0.1:${PORTS.postgres} (${PG_DIR})`, async () => {
    const running = await startPostgres({ port: PORTS.postgres, dir: PG_DIR, database: DATABASES[0] });
    for (const db of DATABASES.slice(1)) await running.createDatabase(db);
    return running;
  });
  timings.postgres = pg.seconds;
  say('postgres', `${pg.value.reused ? 'already running' : 'ready'}: ${DATABASES.map(pgUrl).join(' ')}`);

  const kafka = await startKafka();
  Object.assign(timings, {
    kafkaJarsCached: kafka.jarsCached,
    kafkaJarResolve: kafka.jarSeconds,
    kafkaBrokerStart: kafka.startSeconds,
    kafkaTopics: kafka.topicSeconds,
  });

  if (flags.includes('--build-dapr') && !existsSync(daprdBinary())) {
    const built = await buildDapr();
    timings.daprdBuild = built.daprd.seconds;
    timings.schedulerBuild = built.scheduler.seconds;
  }
  if (existsSync(daprdBinary())) {
    const sched = await startScheduler();
    if (sched) timings.schedulerStart = sched.seconds;
  } else {
    say('dapr', `daprd not built (${daprdBinary()}): not starting the scheduler. Build with: node scripts/infra/infra.mjs build-dapr`);
  }

  // Jaeger is small next to daprd and only the tracing test needs it: built on first use whatever the flags.
  const jaegerBuild = await buildJaeger();
  timings.jaegerCached = jaegerBuild.cached;
  timings.jaegerBuild = jaegerBuild.seconds;
  const jaeger = await startJaeger();
  if (jaeger) timings.jaegerStart = jaeger.seconds;

  timings.total = (Date.now() - t0) / 1000;
  writeFileSync(join(STATE_DIR, 'last-up.json'), JSON.stringify({ at: new Date().toISOString(), seconds: timings }, null, 2));
  say('infra', `up done in ${timings.total.toFixed(1)}s — ${Object.entries(timings).map(([k, v]) => `${k}=${typeof v === 'number' ? v.toFixed(1) : v}`).join(' ')}`);
  await status([]);
}

async function down() {
  const t0 = Date.now();
  // Sidecars started through dapr/daprd.mjs (tests that crashed leave them behind).
  for (const record of allRecords().filter((r) => r.name.startsWith('daprd-'))) {
    const result = await killGroup(record.pid, 15_000);
    rmSync(pidFile(record.name), { force: true });
    say('daprd', `${record.name} (pid ${record.pid}): ${result}`);
  }
  await stopScheduler();
  await stopJaeger();
  await stopKafka();
  if (existsSync(PG_DIR)) await stopPostgres({ dir: PG_DIR });
  else say('postgres', 'no cluster');
  say('infra', `down done in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
}

/** @returns {{ pid: number, port: number } | null} */
function postgresRunning() {
  try {
    const lines = readFileSync(join(PG_DIR, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    return isAlive(pid) ? { pid, port } : null;
  } catch {
    return null;
  }
}

async function status(/** @type {string[]} */ flags) {
  const pg = postgresRunning();
  const pgOpen = pg ? await portOpen(pg.port) : false;
  const kafka = await kafkaStatus();
  const sched = await schedulerStatus();
  const jaeger = await jaegerStatus();
  const sidecars = await Promise.all(
    allRecords()
      .filter((r) => r.name.startsWith('daprd-'))
      .map(async (r) => ({ name: r.name, pid: r.pid, running: isAlive(r.pid), ports: r.ports, log: r.log })),
  );
  const report = {
    stateDir: STATE_DIR,
    cacheDir: CACHE_DIR,
    postgres: { running: Boolean(pg && pgOpen), pid: pg?.pid, port: PORTS.postgres, dataDir: PG_DIR, log: join(PG_DIR, 'server.log'), urls: DATABASES.map(pgUrl) },
    kafka: { ...kafka, version: kafkaVersion(), bootstrap: BOOTSTRAP, controllerPort: PORTS.kafkaController, topics: TOPICS, install: kafkaHome(), installed: existsSync(join(kafkaHome(), '.complete')) },
    scheduler: { ...sched, address: SCHEDULER_ADDRESS, healthzPort: PORTS.schedulerHealthz, metricsPort: PORTS.schedulerMetrics, version: daprVersion() },
    jaeger: { ...jaeger, version: jaegerVersion(), otlpHttp: OTLP_HTTP_URL, otlpGrpc: OTLP_GRPC_ADDRESS, query: QUERY_URL },
    daprd: { binary: daprdBinary(), built: existsSync(daprdBinary()), resources: RESOURCES_DIR, sidecars },
  };
  if (flags.includes('--json')) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    const mark = (/** @type {boolean} */ b) => (b ? 'RUNNING' : 'stopped');
    const lines = [
      `state ${STATE_DIR}   cache ${CACHE_DIR}`,
      `postgres   ${mark(report.postgres.running)}${pg ? ` pid ${pg.pid}` : ''}  127.0.0.1:${PORTS.postgres}  data ${PG_DIR}  log ${report.postgres.log}`,
      `           ${report.postgres.urls.join('  ')}`,
      `kafka      ${mark(kafka.running)}${kafka.pid ? ` pid ${kafka.pid}` : ''}  ${BOOTSTRAP} (controller :${PORTS.kafkaController})  v${report.kafka.version} ${report.kafka.installed ? 'installed' : 'NOT installed'} in ${report.kafka.install}`,
      `           data ${kafka.dataDir}  log ${kafka.log}`,
      `           topics ${TOPICS.join(', ')}`,
      `scheduler  ${sched.built ? mark(sched.running) : 'not built'}${sched.pid ? ` pid ${sched.pid}` : ''}  ${SCHEDULER_ADDRESS} (healthz :${PORTS.schedulerHealthz}, metrics :${PORTS.schedulerMetrics}, etcd :${PORTS.schedulerEtcdClient}/:${PORTS.schedulerEtcdPeer})  data ${sched.dataDir}  log ${sched.log}`,
      `jaeger     ${jaeger.built ? mark(jaeger.running) : 'not built'}${jaeger.pid ? ` pid ${jaeger.pid}` : ''}  OTLP ${OTLP_HTTP_URL} (gRPC ${OTLP_GRPC_ADDRESS})  query ${QUERY_URL}  ${jaegerVersion()} ${jaeger.binary}  log ${jaeger.log}`,
      `daprd      ${report.daprd.built ? `built v${report.scheduler.version}` : 'NOT built'} ${report.daprd.binary}  resources ${RESOURCES_DIR}`,
      ...sidecars.map((s) => `           sidecar ${s.name} ${mark(s.running)} pid ${s.pid} ports ${JSON.stringify(s.ports)} log ${s.log}`),
    ];
    console.log(lines.join('\n'));
  }
  return report;
}

async function main() {
  const [verb, ...flags] = process.argv.slice(2);
  const usage = 'usage: node scripts/infra/infra.mjs up [--build-dapr] | down | status [--json] | build-dapr [--force] | build-jaeger [--force]';
  if (verb === 'up') await up(flags);
  else if (verb === 'down') await down();
  else if (verb === 'status') {
    const r = await status(flags);
    process.exitCode = r.postgres.running && r.kafka.running ? 0 : 3;
  } else if (verb === 'build-dapr') {
    const built = await buildDapr({ force: flags.includes('--force') });
    say('dapr', `daprd ${built.daprd.cached ? 'cached' : `built in ${built.daprd.seconds.toFixed(1)}s`}, scheduler ${built.scheduler.cached ? 'cached' : `built in ${built.scheduler.seconds.toFixed(1)}s`} (${elapsed()} total)`);
  } else if (verb === 'build-jaeger') {
    const built = await buildJaeger({ force: flags.includes('--force') });
    say('jaeger', built.cached ? 'cached' : `built in ${built.seconds.toFixed(1)}s (${elapsed()} total)`);
  } else {
    console.error(usage);
    process.exitCode = 2;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`[infra] ERROR: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
