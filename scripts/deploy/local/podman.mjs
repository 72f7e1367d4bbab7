// podman for the deployment tier: installs it (Debian's podman 4.3 with runc and catatonit) when
// missing, runs it with this folder's containers.conf, and knows how to find and remove what the
// tier started (everything carries the RUN_LABEL or one of the names below).
import { existsSync, readFileSync, readdirSync, rmdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aptInstall, hasCommand, runCommand, say } from '../../infra/lib.mjs';

const PART = 'podman';
export const LOCAL_DIR = dirname(fileURLToPath(import.meta.url));
/** Read by every podman command below (and by hand: export CONTAINERS_CONF=…). */
export const CONTAINERS_CONF = join(LOCAL_DIR, 'containers.conf');
/** Every pod of the tier carries this label, so `down` finds them, also after a crash. */
export const RUN_LABEL = 'taskstream.dev/run=deploy-local';
/** The pods' network: a bridge of its own, with a fixed gateway the host's PostgreSQL and Kafka listen on. */
export const NETWORK = { name: 'taskstream-deploy', subnet: '10.89.64.0/24', gateway: '10.89.64.1' };

/**
 * Installs podman, runc (crun fails here: cgroup v1 hybrid mode) and catatonit (the pods' pause
 * process) from Debian when one is missing.
 */
export async function ensurePodman() {
  const needs = [
    ['podman', () => hasCommand('podman')],
    ['runc', () => hasCommand('runc')],
    ['catatonit', () => hasCommand('catatonit') || existsSync('/usr/libexec/podman/catatonit')],
  ];
  for (const [pkg, present] of /** @type {[string, () => boolean][]} */ (needs)) {
    if (!present()) await aptInstall(PART, pkg, `${pkg} not found`);
  }
  const { stdout } = await podman(['version', '--format', '{{.Client.Version}}']);
  return stdout.trim();
}

/**
 * Runs podman with our containers.conf; rejects on a non-zero exit (unless allowFailure).
 * @param {string[]} args
 * @param {{ timeoutMs?: number, logFile?: string, allowFailure?: boolean, cwd?: string }} [opts]
 */
export function podman(args, opts = {}) {
  return runCommand('podman', args, { env: { CONTAINERS_CONF }, timeoutMs: opts.timeoutMs ?? 120_000, ...opts });
}

/** @param {string} image @returns {Promise<boolean>} */
export async function imageExists(image) {
  return (await podman(['image', 'exists', image], { allowFailure: true })).code === 0;
}

/** Size of an image as podman counts it (all layers), in bytes. @param {string} image */
export async function imageSize(image) {
  const { stdout } = await podman(['image', 'inspect', image, '--format', '{{.Size}}']);
  return Number(stdout.trim());
}

/** Creates the tier's network unless it exists. */
export async function ensureNetwork() {
  if ((await podman(['network', 'exists', NETWORK.name], { allowFailure: true })).code === 0) return;
  await podman(['network', 'create', '--subnet', NETWORK.subnet, '--gateway', NETWORK.gateway, NETWORK.name]);
  say(PART, `network ${NETWORK.name} ${NETWORK.subnet} (gateway ${NETWORK.gateway})`);
}

/**
 * The cgroup the tier's builds run their RUN steps in (`podman build --cgroup-parent`): podman 4.3
 * leaves a build it is stopped in (SIGTERM or SIGKILL) running — the step's processes and the
 * working container — so the clean-up kills what is in this cgroup, by process id.
 */
export const BUILD_CGROUP = 'taskstream-deploy-build';
/** Labels every layer the tier's builds commit (intermediate ones too), so stale cache and a stopped build's working containers can be told from anyone else's. */
export const BUILD_LABEL = 'taskstream.dev/build=deploy-local';

/** cgroup v1 (pids controller) or v2 (unified) directory of BUILD_CGROUP. */
const buildCgroupDirs = () => [`/sys/fs/cgroup/pids/${BUILD_CGROUP}`, `/sys/fs/cgroup/${BUILD_CGROUP}`].filter((d) => existsSync(join(d, 'cgroup.procs')));

/** @param {string} dir @returns {number[]} the processes in a cgroup and its children */
function cgroupPids(dir) {
  const pids = readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
  for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) pids.push(...cgroupPids(join(dir, entry.name)));
  return pids;
}

/** Stops what a stopped build left: its RUN processes (BUILD_CGROUP) and working containers of the tier's images. */
async function removeStoppedBuilds() {
  let killed = 0;
  for (const dir of buildCgroupDirs()) {
    for (const pid of cgroupPids(dir)) {
      try {
        process.kill(pid, 'SIGKILL');
        killed++;
      } catch {
        // already gone
      }
    }
  }
  const { stdout: ours } = await podman(['images', '--all', '--no-trunc', '--quiet', '--filter', `label=${BUILD_LABEL}`], { allowFailure: true });
  const { stdout: base } = await podman(['images', '--no-trunc', '--quiet', '--filter', 'reference=localhost/taskstream-base'], { allowFailure: true });
  const images = new Set(`${ours}\n${base}`.split('\n').map((l) => l.trim().replace(/^sha256:/, '')).filter(Boolean));
  const { stdout } = await podman(['ps', '--all', '--external', '--no-trunc', '--format', '{{.ID}} {{.ImageID}} {{.Status}}'], { allowFailure: true });
  let containers = 0;
  for (const [id, image, status] of stdout.split('\n').map((l) => l.trim().split(' '))) {
    if (!id || status !== 'Storage' || !images.has((image ?? '').replace(/^sha256:/, ''))) continue;
    if ((await podman(['rm', '--force', id], { allowFailure: true })).code === 0) containers++;
  }
  for (const dir of buildCgroupDirs()) {
    try {
      rmdirSync(dir);
    } catch {
      // still busy or has children: left for the next clean-up
    }
  }
  if (killed || containers) say(PART, `a stopped image build: killed ${killed} process(es), removed ${containers} working container(s)`);
}

/** @returns {Promise<string[]>} names of the tier's pods */
export async function tierPods() {
  const { stdout } = await podman(['pod', 'ps', '--filter', `label=${RUN_LABEL}`, '--format', '{{.Name}}'], { allowFailure: true });
  return stdout.split('\n').map((s) => s.trim()).filter(Boolean);
}

/**
 * Removes the tier's pods (with their containers), its network and secrets, and the given images.
 * Never fails: what cannot be removed is reported.
 * @param {{ secrets?: string[], images?: string[] }} what
 */
export async function removeTier(what) {
  const problems = [];
  await removeStoppedBuilds();
  const pods = await tierPods();
  if (pods.length) {
    const r = await podman(['pod', 'rm', '--force', '--time', '10', ...pods], { allowFailure: true, timeoutMs: 180_000 });
    if (r.code !== 0) problems.push(`pod rm: ${r.stderr.trim()}`);
  }
  let network = 0;
  if ((await podman(['network', 'exists', NETWORK.name], { allowFailure: true })).code === 0) {
    const r = await podman(['network', 'rm', '--force', NETWORK.name], { allowFailure: true });
    if (r.code !== 0) problems.push(`network rm: ${r.stderr.trim()}`);
    else network = 1;
  }
  let images = 0;
  for (const image of what.images ?? []) {
    if (!(await imageExists(image))) continue;
    const r = await podman(['rmi', '--force', image], { allowFailure: true });
    if (r.code !== 0) problems.push(`rmi ${image}: ${r.stderr.trim()}`);
    else images++;
  }
  let secrets = 0;
  for (const secret of what.secrets ?? []) if ((await podman(['secret', 'rm', secret], { allowFailure: true })).code === 0) secrets++;
  say(PART, `removed ${pods.length} pod(s), ${network} network (${NETWORK.name}), ${secrets} secret(s), ${images} image(s)${problems.length ? `; problems: ${problems.join('; ')}` : ''}`);
  return problems;
}
