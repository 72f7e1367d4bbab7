// daprd and the Dapr scheduler, built from the Dapr Go module through our wrapper module in this
// folder (scripts/infra/dapr: go.mod copies Dapr's replace directives), into
// ~/.cache/taskstream/dapr-<version>/. The scheduler (embedded etcd) serves the Jobs API.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  CACHE_DIR,
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

const PART = 'dapr';
const MODULE_DIR = join(INFRA_DIR, 'dapr');
const SCHEDULER_STATE = join(STATE_DIR, 'scheduler');
export const SCHEDULER_ADDRESS = `127.0.0.1:${PORTS.schedulerGrpc}`;

/** The Dapr version our wrapper module requires, without the "v". */
export function daprVersion() {
  const m = /^require github\.com\/dapr\/dapr v(\S+)/m.exec(readFileSync(join(MODULE_DIR, 'go.mod'), 'utf8'));
  if (!m) throw new Error(`no "require github.com/dapr/dapr vX" line in ${join(MODULE_DIR, 'go.mod')}`);
  return m[1];
}

export const daprHome = () => join(CACHE_DIR, `dapr-${daprVersion()}`);
export const daprdBinary = () => join(daprHome(), 'daprd');
export const schedulerBinary = () => join(daprHome(), 'scheduler');

/** Build flags; -p 2 matches the 2-core machines (it is also Go's default there). */
const buildArgs = (/** @type {string} */ out, /** @type {string[]} */ extra) => [
  'build',
  '-p',
  String(Number(process.env.TASKSTREAM_GO_P) || 2),
  ...extra,
  '-trimpath',
  '-ldflags',
  `-s -w -X github.com/dapr/dapr/pkg/buildinfo.version=${daprVersion()}`,
  '-o',
  out,
];

/**
 * Builds daprd (all stable components: -tags stablecomponents) and the scheduler unless the
 * cache already has them. Slow the first time (module download + compile).
 * @param {{ force?: boolean }} [opts]
 * @returns {Promise<{ daprd: { cached: boolean, seconds: number }, scheduler: { cached: boolean, seconds: number } }>}
 */
export async function buildDapr(opts = {}) {
  if (!hasCommand('go')) throw new Error('go not found: the Go toolchain is needed to build daprd');
  mkdirSync(daprHome(), { recursive: true });
  const env = { GOFLAGS: [process.env.GOFLAGS, '-buildvcs=false', '-mod=readonly'].filter(Boolean).join(' ') };
  const logFile = join(CACHE_DIR, 'logs', `dapr-${daprVersion()}-build.log`);
  const targets = /** @type {const} */ ([
    ['daprd', daprdBinary(), 'github.com/dapr/dapr/cmd/daprd', ['-tags', 'stablecomponents']],
    ['scheduler', schedulerBinary(), 'github.com/dapr/dapr/cmd/scheduler', []],
  ]);
  /** @type {Record<string, { cached: boolean, seconds: number }>} */
  const out = {};
  for (const [name, bin, pkg, extra] of targets) {
    if (!opts.force && existsSync(bin)) {
      say(PART, `${name} cached: ${bin}`);
      out[name] = { cached: true, seconds: 0 };
      continue;
    }
    const tmp = `${bin}.tmp-${process.pid}`;
    const { seconds } = await step(
      PART,
      `go build ${name} ${daprVersion()} (log: ${logFile})`,
      () => runCommand('go', [...buildArgs(tmp, [...extra]), pkg], { cwd: MODULE_DIR, env, logFile, timeoutMs: 90 * 60_000 }),
      30_000,
    );
    renameSync(tmp, bin);
    out[name] = { cached: false, seconds };
  }
  return /** @type {any} */ (out);
}

/** @returns {Promise<{ running: boolean, pid?: number, port: number, dataDir: string, log: string, binary: string, built: boolean }>} */
export async function schedulerStatus() {
  const record = readRecord('scheduler');
  const alive = record ? isAlive(record.pid) : false;
  const listening = await portOpen(PORTS.schedulerGrpc);
  return {
    running: alive && listening,
    pid: alive ? record?.pid : undefined,
    port: PORTS.schedulerGrpc,
    dataDir: join(SCHEDULER_STATE, 'data'),
    log: join(SCHEDULER_STATE, 'scheduler.log'),
    binary: schedulerBinary(),
    built: existsSync(schedulerBinary()),
  };
}

/**
 * Starts the scheduler in standalone mode with embedded etcd, all ports ours and on 127.0.0.1,
 * metrics off 9090 (daprd's default).
 * @returns {Promise<{ alreadyRunning: boolean, seconds: number } | null>} null when not built
 */
export async function startScheduler() {
  const status = await schedulerStatus();
  if (!status.built) {
    say(PART, `scheduler not built (${status.binary}); skipping. Build it with: node scripts/infra/infra.mjs build-dapr`);
    return null;
  }
  if (status.running) {
    say(PART, `scheduler already running (pid ${status.pid}) on ${SCHEDULER_ADDRESS}`);
    return { alreadyRunning: true, seconds: 0 };
  }
  const record = readRecord('scheduler');
  if (!(record && isAlive(record.pid)) && (await portOpen(PORTS.schedulerGrpc))) {
    throw new Error(`port ${PORTS.schedulerGrpc} is taken by a process we did not start; stop it first`);
  }
  const dataDir = join(SCHEDULER_STATE, 'data');
  mkdirSync(dataDir, { recursive: true });
  const log = status.log;
  let pid = record && isAlive(record.pid) ? record.pid : 0;
  const { seconds } = await step(PART, `starting scheduler on ${SCHEDULER_ADDRESS}`, async () => {
    if (!pid) {
      pid = spawnDaemon(
        'scheduler',
        schedulerBinary(),
        [
          '--mode',
          'standalone',
          '--listen-address',
          '127.0.0.1',
          '--port',
          String(PORTS.schedulerGrpc),
          '--healthz-listen-address',
          '127.0.0.1',
          '--healthz-port',
          String(PORTS.schedulerHealthz),
          '--metrics-listen-address',
          '127.0.0.1',
          '--metrics-port',
          String(PORTS.schedulerMetrics),
          '--etcd-data-dir',
          dataDir,
          // etcd's client URL is always 127.0.0.1 in 1.16.0 (no --etcd-client-listen-address yet).
          '--etcd-client-port',
          String(PORTS.schedulerEtcdClient),
          '--etcd-initial-cluster',
          `dapr-scheduler-server-0=http://127.0.0.1:${PORTS.schedulerEtcdPeer}`,
          '--log-level',
          'info',
        ],
        {
          log,
          extra: {
            ports: { grpc: PORTS.schedulerGrpc, healthz: PORTS.schedulerHealthz, metrics: PORTS.schedulerMetrics, etcdClient: PORTS.schedulerEtcdClient, etcdPeer: PORTS.schedulerEtcdPeer },
            dataDir,
            version: daprVersion(),
          },
        },
      ).pid;
    }
    const describe = () => `--- ${log}\n${tail(log)}`;
    await waitFor(
      async () => {
        try {
          const res = await fetch(`http://127.0.0.1:${PORTS.schedulerHealthz}/healthz`);
          return res.ok;
        } catch {
          return false;
        }
      },
      { timeoutMs: 90_000, what: 'scheduler /healthz', describe, alive: () => isAlive(pid) },
    );
    await waitFor(() => portOpen(PORTS.schedulerGrpc), { timeoutMs: 30_000, what: 'scheduler gRPC port', describe, alive: () => isAlive(pid) });
  });
  return { alreadyRunning: false, seconds };
}

export async function stopScheduler() {
  const result = await stopDaemon('scheduler', 15_000);
  const strays = pidsMentioning(join(SCHEDULER_STATE, 'data'), 'scheduler');
  for (const pid of strays) await killGroup(pid, 15_000);
  say(PART, result === 'stopped' || strays.length ? 'scheduler stopped' : 'scheduler not running');
}

/** Removes cached binaries of this version (for a cold rebuild). */
export function cleanDaprCache() {
  rmSync(daprHome(), { recursive: true, force: true });
}
