// Starts a daprd sidecar (the binary built by `node scripts/infra/infra.mjs build-dapr`) for one
// app, against the components in deploy/dapr/local, and waits until its outbound side is ready.
//
//   import { startDaprd } from './scripts/infra/dapr/daprd.mjs';
//   const sidecar = await startDaprd({ appId: 'api', appPort: 3000, daprHttpPort: 3500, daprGrpcPort: 50001 });
//   ... fetch(`${sidecar.httpUrl}/v1.0/publish/pubsub/task-events`, …) ...
//   await sidecar.stop();
//
// Every sidecar is recorded in .taskstream/infra/pids/, so `node scripts/infra/infra.mjs down`
// stops one that a crashed test left behind.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESOURCES_DIR, STATE_DIR, isAlive, killGroup, pidFile, say, spawnDaemon, tail, waitFor } from '../lib.mjs';
import { SCHEDULER_ADDRESS, daprdBinary } from './dapr.mjs';

/**
 * @typedef {object} DaprdOptions
 * @property {string} appId
 * @property {number} [appPort] omit for a sidecar without an app
 * @property {number} daprHttpPort
 * @property {number} daprGrpcPort
 * @property {string} [componentsPath] resources folder (default deploy/dapr/local)
 * @property {string | null} [configPath] Configuration file (default deploy/dapr/local/config.yaml; null for none)
 * @property {string | null} [schedulerAddress] host:port of the scheduler (default: the infra scheduler's address if its pid file says it runs; null for none)
 * @property {string} [logLevel] debug|info|warn|error (default info)
 * @property {string} [appProtocol] default http
 * @property {number} [metricsPort] enables metrics on this port (default: metrics off, so sidecars do not fight over 9090)
 * @property {number} [readyTimeoutMs] default 60 s
 * @property {string} [logFile] default .taskstream/infra/daprd/<appId>-<httpPort>.log
 * @property {string} [appApiToken] sent to the app as the dapr-api-token header on every call (daprd's APP_API_TOKEN); the app (APP_API_TOKEN, the same value) refuses its sidecar routes without it
 * @property {NodeJS.ProcessEnv} [env] extra environment (e.g. TASKSTREAM_* secrets for the local.env secret store)
 * @property {string[]} [extraArgs]
 *
 * @typedef {{ pid: number, appId: string, httpUrl: string, grpcPort: number, log: string, stop: () => Promise<void> }} RunningDaprd
 */

/**
 * @param {DaprdOptions} options
 * @returns {Promise<RunningDaprd>}
 */
export async function startDaprd(options) {
  const bin = daprdBinary();
  if (!existsSync(bin)) throw new Error(`daprd not built (${bin}); run: node scripts/infra/infra.mjs build-dapr`);
  const { appId, daprHttpPort, daprGrpcPort } = options;
  const componentsPath = options.componentsPath ?? RESOURCES_DIR;
  const defaultConfig = join(RESOURCES_DIR, 'config.yaml');
  const configPath = options.configPath === undefined ? (existsSync(defaultConfig) ? defaultConfig : null) : options.configPath;
  let schedulerAddress = options.schedulerAddress;
  if (schedulerAddress === undefined) {
    const rec = readJson(pidFile('scheduler'));
    schedulerAddress = rec && isAlive(rec.pid) ? SCHEDULER_ADDRESS : null;
  }
  const log = options.logFile ?? join(STATE_DIR, 'daprd', `${appId}-${daprHttpPort}.log`);
  mkdirSync(join(STATE_DIR, 'daprd'), { recursive: true });

  const args = [
    '--mode',
    'standalone',
    '--app-id',
    appId,
    '--dapr-http-port',
    String(daprHttpPort),
    '--dapr-grpc-port',
    String(daprGrpcPort),
    '--dapr-listen-addresses',
    '127.0.0.1',
    '--dapr-internal-grpc-listen-address',
    '127.0.0.1',
    '--resources-path',
    componentsPath,
    '--log-level',
    options.logLevel ?? 'info',
    '--app-protocol',
    options.appProtocol ?? 'http',
    '--app-channel-address',
    '127.0.0.1',
  ];
  if (options.appPort !== undefined) args.push('--app-port', String(options.appPort));
  if (configPath) args.push('--config', configPath);
  if (schedulerAddress) args.push('--scheduler-host-address', schedulerAddress);
  if (options.metricsPort) args.push('--enable-metrics=true', '--metrics-port', String(options.metricsPort), '--metrics-listen-address', '127.0.0.1');
  else args.push('--enable-metrics=false');
  args.push(...(options.extraArgs ?? []));

  const name = `daprd-${appId}-${daprHttpPort}`;
  const env = { ...options.env, ...(options.appApiToken !== undefined && { APP_API_TOKEN: options.appApiToken }) };
  const httpUrl = `http://127.0.0.1:${daprHttpPort}`;
  // daprd picks its internal gRPC port itself, and between its pick and its bind another process
  // can take that port ("bind: address already in use", then exit). That is a race, not a fault of
  // the configuration, so a sidecar that exits for it is started again, a few times.
  for (let attempt = 1; ; attempt++) {
    const logStart = logSize(log);
    const record = spawnDaemon(name, bin, args, { log, env, extra: { ports: { http: daprHttpPort, grpc: daprGrpcPort, app: options.appPort ?? null }, appId } });
    const stop = async () => {
      await killGroup(record.pid, 15_000);
      rmSync(pidFile(name), { force: true });
    };
    try {
      await waitFor(
        async () => {
          try {
            const res = await fetch(`${httpUrl}/v1.0/healthz/outbound`);
            return res.status >= 200 && res.status < 300;
          } catch {
            return false;
          }
        },
        { timeoutMs: options.readyTimeoutMs ?? 60_000, what: `daprd ${appId} /v1.0/healthz/outbound`, describe: () => `--- ${log}\n${tail(log, 30)}`, alive: () => isAlive(record.pid) },
      );
    } catch (e) {
      await stop();
      const lostPortRace = logSince(log, logStart).includes('address already in use');
      if (lostPortRace && attempt < 4) {
        say('daprd', `${appId} lost a port to another process while starting (attempt ${attempt}); starting it again`);
        continue;
      }
      throw e;
    }
    say('daprd', `${appId} ready on ${httpUrl} (grpc ${daprGrpcPort}${schedulerAddress ? `, scheduler ${schedulerAddress}` : ''}; log ${log})`);
    return { pid: record.pid, appId, httpUrl, grpcPort: daprGrpcPort, log, stop };
  }
}

/** @param {string} file */
function logSize(file) {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** The part of a log written after `offset`. @param {string} file @param {number} offset */
function logSince(file, offset) {
  try {
    return readFileSync(file).subarray(offset).toString('utf8');
  } catch {
    return '';
  }
}

/**
 * Copies a resources folder (default deploy/dapr/local) to `targetDir`, overriding the
 * reminder-sweep cron schedule and/or plain string replacements — for tests that need a faster
 * tick or other ports. Component names stay the same.
 * @param {{ targetDir: string, sourceDir?: string, cronSchedule?: string, replace?: Record<string, string> }} opts
 * @returns {string} targetDir
 */
export function prepareResources(opts) {
  const source = opts.sourceDir ?? RESOURCES_DIR;
  mkdirSync(opts.targetDir, { recursive: true });
  for (const file of readdirSync(source)) {
    if (!/\.ya?ml$/.test(file)) continue;
    let text = readFileSync(join(source, file), 'utf8');
    if (opts.cronSchedule && /type:\s*bindings\.cron/.test(text)) {
      text = text.replace(/(- name: schedule\s*\n\s*value:\s*)"[^"]*"/, `$1"${opts.cronSchedule}"`);
    }
    for (const [from, to] of Object.entries(opts.replace ?? {})) text = text.split(from).join(to);
    writeFileSync(join(opts.targetDir, file), text);
  }
  return opts.targetDir;
}

/** @param {string} file */
function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

