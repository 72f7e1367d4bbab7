// The deployed system on this machine, in order: images (base, project, Dapr) → network → sentry
// (the mTLS authority; its pod also brings the network's gateway up) → PostgreSQL and Kafka on the
// gateway → the chart rendered and planned (manifests.mjs) → secrets → the migration hook → one pod
// per role, each checked like the kubelet would (startup /healthz, then readiness /readyz) and
// with the image's own HEALTHCHECK. `down` removes all of it (also after a crash: by label).
import { chownSync, chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { REPO_ROOT, runCommand, say, step, waitFor } from '../../infra/lib.mjs';
import { ensureTool, TOOLS } from '../tools.mjs';
import { POD_VIEW, startBacking, stopBacking } from './backing.mjs';
import { ensureBaseImage } from './base-image.mjs';
import { APP_IMAGE, buildAppImage, buildDaprImage, daprImage } from './images.mjs';
import { ADDRESSES, NAMESPACE, RELEASE, parseManifests, planFromManifests, sentryConfiguration, sentryPod, toYaml } from './manifests.mjs';
import { CONTAINERS_CONF, NETWORK, ensureNetwork, ensurePodman, imageExists, imageSize, podman, removeTier } from './podman.mjs';

const PART = 'deploy:local';
export const STATE_DIR = join(REPO_ROOT, '.taskstream', 'deploy');
/** What the journey test reads: addresses, pod names, the host's database URL. */
export const STACK_FILE = join(STATE_DIR, 'stack.json');
const CHART = join(REPO_ROOT, 'deploy', 'helm', 'taskstream');
const VALUES = join(CHART, 'values-local-podman.yaml');
const APP_PORT = 8080;
/** Secrets the chart expects to exist (created by hand or by the External Secrets Operator in a cluster). */
const SECRET_NAMES = { app: 'taskstream-secrets', token: 'taskstream-dapr-app-token' };
/** The pods' uid (the chart's podSecurityContext) and the Dapr image's. */
const POD_UID = 1000;
const SENTRY_UID = 65532;

/**
 * @param {{ reuseImages?: boolean }} [opts] reuseImages: skip the project image build when the image exists (iterating on the scripts)
 * @returns {Promise<any>} the stack description written to STACK_FILE
 */
export async function up(opts = {}) {
  const t0 = Date.now();
  /** @type {Record<string, number>} */
  const seconds = {};
  const timed = async (/** @type {string} */ key, /** @type {() => Promise<any>} */ fn) => {
    const from = Date.now();
    try {
      return await fn();
    } finally {
      seconds[key] = (Date.now() - from) / 1000;
    }
  };
  const logs = join(STATE_DIR, 'logs');
  const runDir = join(STATE_DIR, 'run');
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(logs, { recursive: true });
  mkdirSync(runDir, { recursive: true });

  const podmanVersion = await timed('podman', () => ensurePodman());
  say(PART, `podman ${podmanVersion} (CONTAINERS_CONF=${CONTAINERS_CONF})`);
  await removeTier({ secrets: Object.values(SECRET_NAMES) });
  await stopBacking(join(STATE_DIR, 'backing'));
  const base = await timed('baseImage', () => ensureBaseImage());
  const app = await timed('appImage', async () =>
    opts.reuseImages && (await imageExists(APP_IMAGE))
      ? (say(PART, `--reuse-images: ${APP_IMAGE} as it is`), { image: APP_IMAGE, size: await imageSize(APP_IMAGE) })
      : buildAppImage({ baseImage: base.image, workDir: runDir, logFile: join(logs, 'app-image-build.log') }),
  );
  const dapr = await timed('daprImage', () => buildDaprImage({ workDir: runDir, logFile: join(logs, 'dapr-image-build.log') }));

  const helm = (await ensureTool(TOOLS.helm)).path;
  const rendered = await step(PART, `helm template ${RELEASE} -f ${VALUES.slice(REPO_ROOT.length + 1)}`, async () => {
    const { stdout } = await runCommand(helm, [
      'template', RELEASE, CHART, '--namespace', NAMESPACE, '-f', VALUES,
      '--set', `config.PUBLIC_URL=http://${ADDRESSES.roles.api}:${APP_PORT}`,
      '--set', `kafka.strimzi.bootstrapServers=${POD_VIEW.kafkaBootstrap}`,
      '--kube-version', '1.30.0',
    ]);
    return stdout;
  });
  writeFileSync(join(runDir, 'chart.yaml'), rendered.value);
  const docs = parseManifests(rendered.value);

  await ensureNetwork();
  const trustAnchors = await timed('sentry', () => startSentry(runDir, docs));
  const backing = await timed('backing', () => startBacking(join(STATE_DIR, 'backing')));

  const plan = planFromManifests(docs, { runDir, daprImage: dapr.image, trustAnchors });
  say(PART, `plan: migration ${plan.migrate?.podName ?? '(none)'}, pods ${plan.roles.map((r) => `${r.podName}${r.appId ? '+daprd' : ''}`).join(', ')}; not played: ${plan.skipped.join(', ')}`);

  const secrets = await writeSecrets(runDir, plan);
  writeDaprFiles(runDir, plan, secrets);

  if (plan.migrate) await timed('migrate', () => runMigration(runDir, plan, logs));
  await timed('pods', () => startRoles(runDir, plan, logs));

  const stack = {
    at: new Date().toISOString(),
    containersConf: CONTAINERS_CONF,
    network: NETWORK,
    namespace: NAMESPACE,
    databaseUrl: backing.databaseUrl,
    api: `http://${ADDRESSES.roles.api}:${APP_PORT}`,
    realtime: `http://${ADDRESSES.roles.realtime}:${APP_PORT}`,
    pods: Object.fromEntries(plan.roles.map((r) => [r.role, { pod: r.podName, ip: r.ip, url: `http://${r.ip}:${APP_PORT}`, app: `${r.podName}-${r.role}`, daprd: r.appId ? `${r.podName}-daprd` : null }])),
    images: { base: base.image, baseSource: base.source, app: { name: app.image, bytes: app.size }, dapr: { name: dapr.image, bytes: dapr.size } },
    notPlayed: plan.skipped,
    seconds: { ...seconds, total: (Date.now() - t0) / 1000 },
  };
  writeFileSync(STACK_FILE, JSON.stringify(stack, null, 2));
  say(PART, `up in ${stack.seconds.total.toFixed(1)}s (${Object.entries(seconds).map(([k, v]) => `${k} ${v.toFixed(1)}s`).join(', ')}); api ${stack.api}, realtime ${stack.realtime}`);
  return stack;
}

/**
 * Removes every pod, the network, the secrets and (unless kept) the project and Dapr images, and
 * stops PostgreSQL and Kafka. The base image and podman's build cache stay (speed-ups).
 * @param {{ keepImages?: boolean }} [opts]
 */
export async function down(opts = {}) {
  const problems = await removeTier({ secrets: Object.values(SECRET_NAMES), images: opts.keepImages ? [] : [APP_IMAGE, daprImage()] });
  await stopBacking(join(STATE_DIR, 'backing'));
  rmSync(join(STATE_DIR, 'run'), { recursive: true, force: true });
  rmSync(join(STATE_DIR, 'backing'), { recursive: true, force: true });
  rmSync(STACK_FILE, { force: true });
  return problems;
}

/** Plays a manifest file with a fixed address on the tier's network. @param {string} file @param {string} ip */
const play = (file, ip) => podman(['kube', 'play', '--network', NETWORK.name, '--ip', ip, file], { timeoutMs: 300_000 });

/**
 * Starts sentry with the mTLS settings the chart's Configurations state (on Kubernetes the control
 * plane's own `daprsystem` Configuration) and returns its root certificate, which the injector
 * hands every sidecar as DAPR_TRUST_ANCHORS.
 * @param {string} runDir @param {any[]} docs the rendered chart
 */
async function startSentry(runDir, docs) {
  const credentialsDir = join(runDir, 'sentry', 'credentials');
  const configDir = join(runDir, 'sentry', 'config');
  mkdirSync(credentialsDir, { recursive: true });
  mkdirSync(configDir, { recursive: true });
  chownSync(credentialsDir, SENTRY_UID, SENTRY_UID);
  const mtls = docs.find((d) => d.kind === 'Configuration')?.spec?.mtls ?? {};
  writeFileSync(join(configDir, 'daprsystem.yaml'), toYaml(sentryConfiguration(mtls)), { mode: 0o644 });
  const file = join(runDir, 'sentry.yaml');
  writeFileSync(file, toYaml(sentryPod({ daprImage: daprImage(), credentialsDir, configDir })));
  await play(file, ADDRESSES.sentry);
  const ca = join(credentialsDir, 'ca.crt');
  await waitFor(() => existsSync(ca) && readFileSync(ca, 'utf8').includes('END CERTIFICATE'), {
    timeoutMs: 60_000,
    what: 'sentry writing its root certificate',
    describe: () => `see: CONTAINERS_CONF=${CONTAINERS_CONF} podman logs dapr-sentry-sentry`,
  });
  say(PART, `sentry ${ADDRESSES.sentry}:50001 issued its root certificate (workload certificates for ${mtls.workloadCertTTL ?? '24h'})`);
  return readFileSync(ca, 'utf8');
}

/**
 * The chart's Secrets, as podman secrets (podman 4.3's secretKeyRef reads a JSON map of key →
 * base64 value) and, for the daprd containers, as the local file secret store's JSON.
 * @param {string} runDir @param {import('./manifests.mjs').Plan} plan
 */
async function writeSecrets(runDir, plan) {
  /** @type {Record<string, Record<string, string>>} */
  const secrets = {
    [SECRET_NAMES.app]: { DATABASE_URL: POD_VIEW.databaseUrl, AUTH_SECRET: randomBytes(32).toString('hex') },
    [SECRET_NAMES.token]: { token: randomBytes(24).toString('hex') },
  };
  const unknown = plan.secretNames.filter((n) => !(n in secrets));
  if (unknown.length) throw new Error(`the rendered chart reads Secrets this tier does not create: ${unknown.join(', ')}`);
  const dir = join(runDir, 'podman-secrets');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const [name, data] of Object.entries(secrets)) {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]))), { mode: 0o600 });
    await podman(['secret', 'create', name, file]);
  }
  rmSync(dir, { recursive: true, force: true });
  return secrets;
}

/** The daprd containers' mounted files: components + resiliency, Configurations, the secrets file. */
function writeDaprFiles(/** @type {string} */ runDir, /** @type {import('./manifests.mjs').Plan} */ plan, /** @type {Record<string, Record<string, string>>} */ secrets) {
  const dapr = join(runDir, 'dapr');
  for (const sub of ['resources', 'config', 'secrets']) mkdirSync(join(dapr, sub), { recursive: true });
  for (const doc of plan.daprResources) writeFileSync(join(dapr, 'resources', `${doc.kind.toLowerCase()}-${doc.metadata.name}.yaml`), toYaml(doc));
  for (const [name, doc] of Object.entries(plan.daprConfigs)) writeFileSync(join(dapr, 'config', `${name}.yaml`), toYaml(doc));
  writeFileSync(join(dapr, 'secrets', 'secrets.json'), JSON.stringify(secrets), { mode: 0o600 });
  for (const p of [dapr, join(dapr, 'resources'), join(dapr, 'config'), join(dapr, 'secrets'), join(dapr, 'secrets', 'secrets.json')]) chownSync(p, POD_UID, POD_UID);
  chmodSync(join(dapr, 'secrets'), 0o700);
}

/** The pre-install hook: its pod runs to completion before any role starts, and is removed when it succeeded. */
async function runMigration(/** @type {string} */ runDir, /** @type {import('./manifests.mjs').Plan} */ plan, /** @type {string} */ logs) {
  const m = /** @type {NonNullable<typeof plan.migrate>} */ (plan.migrate);
  const file = join(runDir, 'migrate.yaml');
  writeFileSync(file, [...plan.configMaps, m.manifest].map(toYaml).join('---\n'));
  await step(PART, `migration hook ${m.podName}`, async () => {
    await play(file, ADDRESSES.migrate);
    const { stdout } = await podman(['wait', m.container], { timeoutMs: 600_000 });
    const { stdout: out, stderr: err } = await podman(['logs', m.container], { allowFailure: true });
    writeFileSync(join(logs, `${m.podName}.log`), `${out}${err}`);
    if (stdout.trim() !== '0') throw new Error(`the migration exited with ${stdout.trim()}:\n${`${out}${err}`.split('\n').slice(-20).join('\n')}`);
    await podman(['pod', 'rm', '--force', m.podName]);
  });
}

/** Plays each role's pod, then waits for all of them like the kubelet would. */
async function startRoles(/** @type {string} */ runDir, /** @type {import('./manifests.mjs').Plan} */ plan, /** @type {string} */ logs) {
  for (const r of plan.roles) {
    const file = join(runDir, `${r.role}.yaml`);
    writeFileSync(file, [...plan.configMaps, r.manifest].map(toYaml).join('---\n'));
    await step(PART, `kube play ${r.podName} (${r.ip})`, () => play(file, r.ip));
  }
  await step(PART, `startup (${plan.roles[0]?.probes.startup}) and readiness (${plan.roles[0]?.probes.readiness}) of ${plan.roles.length} pods`, () =>
    Promise.all(plan.roles.map((r) => waitReady(r, logs))),
  );
  // kube play does not carry the image's HEALTHCHECK into the containers: run its command in each.
  const { stdout } = await podman(['image', 'inspect', APP_IMAGE, '--format', '{{json .HealthCheck}}']);
  const test = /** @type {{ Test?: string[] } | null} */ (JSON.parse(stdout.trim() || 'null'))?.Test ?? [];
  if (test[0] !== 'CMD' && test[0] !== 'CMD-SHELL') throw new Error(`${APP_IMAGE} has no HEALTHCHECK (got ${stdout.trim()}); build it with --format docker`);
  const command = test[0] === 'CMD' ? test.slice(1) : ['/bin/sh', '-c', test[1] ?? 'false'];
  for (const r of plan.roles) {
    const container = `${r.podName}-${r.role}`;
    const res = await podman(['exec', container, ...command], { allowFailure: true });
    if (res.code !== 0) throw new Error(`${container}: the image's HEALTHCHECK (${command.join(' ')}) failed: exit ${res.code} ${res.stdout}${res.stderr}`);
  }
  say(PART, `every app container passes the image's HEALTHCHECK (${command[0]} … /healthz, run with podman exec)`);
}

/** @param {import('./manifests.mjs').RolePod} r @param {string} logs */
async function waitReady(r, logs) {
  const url = (/** @type {string | undefined} */ path) => `http://${r.ip}:${APP_PORT}${path ?? '/healthz'}`;
  const ok = async (/** @type {string} */ u) => {
    try {
      return (await fetch(u, { signal: AbortSignal.timeout(3000) })).ok;
    } catch {
      return false;
    }
  };
  const describe = () => {
    const note = `${r.podName} not ready: podman logs ${r.podName}-${r.role} / ${r.podName}-daprd (CONTAINERS_CONF=${CONTAINERS_CONF}); logs saved in ${logs}`;
    void saveLogs(r, logs);
    return note;
  };
  await waitFor(() => ok(url(r.probes.startup)), { timeoutMs: 240_000, intervalMs: 1000, what: `${r.podName} startup probe ${url(r.probes.startup)}`, describe });
  await waitFor(() => ok(url(r.probes.readiness)), { timeoutMs: 120_000, intervalMs: 1000, what: `${r.podName} readiness probe ${url(r.probes.readiness)}`, describe });
  say(PART, `${r.podName} ready`);
}

/** Copies every container's log of a pod into the logs folder. @param {import('./manifests.mjs').RolePod} r @param {string} logs */
export async function saveLogs(r, logs) {
  for (const c of [`${r.podName}-${r.role}`, ...(r.appId ? [`${r.podName}-daprd`] : [])]) {
    const { stdout, stderr } = await podman(['logs', c], { allowFailure: true });
    writeFileSync(join(logs, `${c}.log`), `${stdout}${stderr}`);
  }
}

/** Saves the logs of every pod of the running stack (for a failed test). */
export async function saveAllLogs() {
  if (!existsSync(STACK_FILE)) return;
  const stack = JSON.parse(readFileSync(STACK_FILE, 'utf8'));
  const logs = join(STATE_DIR, 'logs');
  for (const [role, p] of Object.entries(stack.pods)) {
    const info = /** @type {{ pod: string, daprd: string | null }} */ (p);
    await saveLogs({ role, podName: info.pod, appId: info.daprd ? role : null, ip: '', manifest: null, probes: {} }, logs);
  }
  const { stdout, stderr } = await podman(['logs', 'dapr-sentry-sentry'], { allowFailure: true });
  writeFileSync(join(logs, 'dapr-sentry-sentry.log'), `${stdout}${stderr}`);
}
