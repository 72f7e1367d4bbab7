// Jaeger: the OTLP receiver and trace store the tracing test sends spans to and reads them back
// from (its HTTP query API). Built from the Jaeger Go module through our wrapper module in this
// folder (go.mod: `tool github.com/jaegertracing/jaeger/cmd/jaeger`, v1.75.0) into
// ~/.cache/taskstream/jaeger-v1.75.0/, and run on 127.0.0.1 only, on the ports of ports.mjs,
// with in-memory storage (spans are gone when it stops).
//
// cmd/jaeger is Jaeger v2: an OpenTelemetry Collector distribution with Jaeger's storage and
// query as extensions (the v1 all-in-one, cmd/all-in-one, is deprecated). Its configuration is a
// collector YAML, written to the state folder at start so every port is ours.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR, INFRA_DIR, STATE_DIR, hasCommand, isAlive, readRecord, runCommand, say, spawnDaemon, step, stopDaemon, tail, waitFor } from '../lib.mjs';
import { PORTS, portOpen } from '../ports.mjs';

const PART = 'jaeger';
const MODULE_DIR = join(INFRA_DIR, 'jaeger');
const JAEGER_STATE = join(STATE_DIR, 'jaeger');
const PACKAGE = 'github.com/jaegertracing/jaeger/cmd/jaeger';

/** The Jaeger module version our wrapper requires, with the "v" (it names the cache folder). */
export function jaegerVersion() {
  const m = /^\s*github\.com\/jaegertracing\/jaeger (v\S+)/m.exec(readFileSync(join(MODULE_DIR, 'go.mod'), 'utf8'));
  if (!m) throw new Error(`no "github.com/jaegertracing/jaeger vX" requirement in ${join(MODULE_DIR, 'go.mod')}`);
  return m[1];
}

export const jaegerHome = () => join(CACHE_DIR, `jaeger-${jaegerVersion()}`);
export const jaegerBinary = () => join(jaegerHome(), 'jaeger');
/** Where the apps send spans (OTEL_EXPORTER_OTLP_ENDPOINT: OTLP/HTTP). */
export const OTLP_HTTP_URL = `http://127.0.0.1:${PORTS.jaegerOtlpHttp}`;
/** Where daprd sends spans (OTLP/gRPC, host:port). */
export const OTLP_GRPC_ADDRESS = `127.0.0.1:${PORTS.jaegerOtlpGrpc}`;
/** Jaeger's HTTP query API (/api/services, /api/traces?service=…) and UI. */
export const QUERY_URL = `http://127.0.0.1:${PORTS.jaegerQuery}`;

/**
 * Builds the jaeger binary unless the cache has it. Slow the first time (module download +
 * compile of a whole collector distribution); the cache only saves that time.
 * @param {{ force?: boolean }} [opts]
 * @returns {Promise<{ cached: boolean, seconds: number }>}
 */
export async function buildJaeger(opts = {}) {
  const bin = jaegerBinary();
  if (!opts.force && existsSync(bin)) {
    say(PART, `cached: ${bin}`);
    return { cached: true, seconds: 0 };
  }
  if (!hasCommand('go')) throw new Error('go not found: the Go toolchain is needed to build Jaeger');
  mkdirSync(jaegerHome(), { recursive: true });
  const env = { GOFLAGS: [process.env.GOFLAGS, '-buildvcs=false', '-mod=readonly'].filter(Boolean).join(' ') };
  const logFile = join(CACHE_DIR, 'logs', `jaeger-${jaegerVersion()}-build.log`);
  const tmp = `${bin}.tmp-${process.pid}`;
  const { seconds } = await step(
    PART,
    `go build jaeger ${jaegerVersion()} (log: ${logFile})`,
    () =>
      runCommand('go', ['build', '-p', String(Number(process.env.TASKSTREAM_GO_P) || 2), '-trimpath', '-ldflags', '-s -w', '-o', tmp, PACKAGE], {
        cwd: MODULE_DIR,
        env,
        logFile,
        timeoutMs: 90 * 60_000,
      }),
    30_000,
  );
  renameSync(tmp, bin);
  return { cached: false, seconds };
}

/** The collector configuration: OTLP in, memory storage, the query API; all on 127.0.0.1. */
function configYaml() {
  const at = (/** @type {number} */ port) => `127.0.0.1:${port}`;
  return `# Written by scripts/infra/jaeger/jaeger.mjs at every start; edit that, not this.
service:
  extensions: [jaeger_storage, jaeger_query, healthcheckv2]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    resource:
      service.name: jaeger
    # The collector's own telemetry off: no metrics port, no spans of its own.
    metrics:
      level: none
    traces:
      level: none
    logs:
      level: info
extensions:
  healthcheckv2:
    use_v2: true
    http:
      endpoint: ${at(PORTS.jaegerHealth)}
  jaeger_query:
    # On by default in v2: the query service would trace itself to localhost:4317.
    enable_tracing: false
    storage:
      traces: memstore
    http:
      endpoint: ${at(PORTS.jaegerQuery)}
    grpc:
      endpoint: ${at(PORTS.jaegerQueryGrpc)}
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 100000
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: ${at(PORTS.jaegerOtlpGrpc)}
      http:
        endpoint: ${at(PORTS.jaegerOtlpHttp)}
processors:
  batch:
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
`;
}

/** @returns {Promise<{ running: boolean, pid?: number, binary: string, built: boolean, log: string, config: string }>} */
export async function jaegerStatus() {
  const record = readRecord('jaeger');
  const alive = record ? isAlive(record.pid) : false;
  return {
    running: alive && (await portOpen(PORTS.jaegerQuery)) && (await portOpen(PORTS.jaegerOtlpHttp)),
    pid: alive ? record?.pid : undefined,
    binary: jaegerBinary(),
    built: existsSync(jaegerBinary()),
    log: join(JAEGER_STATE, 'jaeger.log'),
    config: join(JAEGER_STATE, 'config.yaml'),
  };
}

/**
 * Starts Jaeger unless it runs, and waits until its query API answers and OTLP is open.
 * @returns {Promise<{ alreadyRunning: boolean, seconds: number } | null>} null when not built
 */
export async function startJaeger() {
  const status = await jaegerStatus();
  if (!status.built) {
    say(PART, `not built (${status.binary}); skipping. Build it with: node scripts/infra/infra.mjs build-jaeger`);
    return null;
  }
  if (status.running) {
    say(PART, `already running (pid ${status.pid}); query ${QUERY_URL}`);
    return { alreadyRunning: true, seconds: 0 };
  }
  const record = readRecord('jaeger');
  let pid = record && isAlive(record.pid) ? record.pid : 0;
  if (!pid) {
    for (const port of [PORTS.jaegerOtlpGrpc, PORTS.jaegerOtlpHttp, PORTS.jaegerQuery, PORTS.jaegerQueryGrpc, PORTS.jaegerHealth]) {
      if (await portOpen(port)) throw new Error(`port ${port} is taken by a process we did not start; stop it first`);
    }
  }
  mkdirSync(JAEGER_STATE, { recursive: true });
  writeFileSync(status.config, configYaml());
  const { seconds } = await step(PART, `starting Jaeger ${jaegerVersion()}: OTLP ${OTLP_HTTP_URL} (gRPC ${OTLP_GRPC_ADDRESS}), query ${QUERY_URL}`, async () => {
    if (!pid) {
      pid = spawnDaemon('jaeger', jaegerBinary(), ['--config', `file:${status.config}`], {
        log: status.log,
        extra: { ports: { otlpGrpc: PORTS.jaegerOtlpGrpc, otlpHttp: PORTS.jaegerOtlpHttp, query: PORTS.jaegerQuery, queryGrpc: PORTS.jaegerQueryGrpc, health: PORTS.jaegerHealth }, version: jaegerVersion() },
      }).pid;
    }
    const describe = () => `--- ${status.log}\n${tail(status.log)}`;
    await waitFor(
      () => fetch(`${QUERY_URL}/api/services`).then((r) => r.ok, () => false),
      { timeoutMs: 60_000, what: 'Jaeger query API /api/services', describe, alive: () => isAlive(pid) },
    );
    await waitFor(() => portOpen(PORTS.jaegerOtlpHttp), { timeoutMs: 30_000, what: 'Jaeger OTLP/HTTP port', describe, alive: () => isAlive(pid) });
  });
  return { alreadyRunning: false, seconds };
}

export async function stopJaeger() {
  const result = await stopDaemon('jaeger', 15_000);
  say(PART, result === 'stopped' ? 'stopped' : 'not running');
}

/** Removes the cached binary of this version (for a cold rebuild). */
export function cleanJaegerCache() {
  rmSync(jaegerHome(), { recursive: true, force: true });
}
