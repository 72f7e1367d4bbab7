// The two images the pods run: the project's one image (deploy/docker/Dockerfile, built FROM the
// debootstrap base), and a small Dapr image holding the daprd and sentry binaries of the Go build
// (scripts/infra/dapr) on `scratch` with the C library they link.
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CACHE_DIR, REPO_ROOT, hasCommand, runCommand, say, step } from '../../infra/lib.mjs';
import { buildDapr, daprHome, daprVersion, daprdBinary } from '../../infra/dapr/dapr.mjs';
import { BUILD_CGROUP, BUILD_LABEL, imageSize, podman } from './podman.mjs';

const PART = 'images';
export const APP_IMAGE = 'localhost/taskstream:local';
export const daprImage = () => `localhost/taskstream-dapr:${daprVersion()}`;
const sentryBinary = () => join(daprHome(), 'sentry');

/**
 * The machine's npm settings that the build's `npm ci` needs (registry, CA file, proxies), as an
 * npmrc mounted at /usr/etc/npmrc — the global config of the base image's npm — with the CA file
 * beside it. Mounted with -v, so nothing of it ends up in a layer.
 * @param {string} dir where to write the files
 * @returns {Promise<string[]>} podman build arguments
 */
async function npmConfigMounts(dir) {
  mkdirSync(dir, { recursive: true });
  const get = async (/** @type {string} */ key) => {
    const { stdout } = await runCommand('npm', ['config', 'get', key], { allowFailure: true });
    const value = stdout.trim();
    return value && value !== 'null' && value !== 'undefined' ? value : null;
  };
  const lines = [];
  const mounts = [];
  for (const key of ['registry', 'proxy', 'https-proxy', 'noproxy', 'strict-ssl']) {
    const value = await get(key);
    if (value !== null) lines.push(`${key}=${value}`);
  }
  const cafile = await get('cafile');
  if (cafile && existsSync(cafile)) {
    lines.push('cafile=/usr/etc/npm-ca.pem');
    mounts.push('-v', `${cafile}:/usr/etc/npm-ca.pem:ro`);
  }
  writeFileSync(join(dir, 'npmrc'), `${lines.join('\n')}\n`);
  say(PART, `npm settings for the build: ${lines.join(', ') || '(defaults)'}`);
  return ['-v', `${join(dir, 'npmrc')}:/usr/etc/npmrc:ro`, ...mounts];
}

/**
 * Builds deploy/docker/Dockerfile FROM the base image. `--format docker` keeps the HEALTHCHECK
 * (the OCI format has none); `--layers` reuses unchanged stages from podman's build cache, and
 * what an earlier build left there and this one did not use is removed afterwards.
 * @param {{ baseImage: string, workDir: string, logFile: string }} opts
 */
export async function buildAppImage(opts) {
  const mounts = await npmConfigMounts(join(opts.workDir, 'npm'));
  // One build per log: pruneBuildCache reads the layers this build used from it.
  writeFileSync(opts.logFile, '');
  const { seconds } = await step(
    PART,
    `podman build deploy/docker/Dockerfile → ${APP_IMAGE} (NODE_IMAGE=${opts.baseImage}; log: ${opts.logFile})`,
    () =>
      podman(
        ['build', '--format', 'docker', '--layers', '--pull=never', '--label', BUILD_LABEL, '--cgroup-parent', `/${BUILD_CGROUP}`, '-f', join(REPO_ROOT, 'deploy', 'docker', 'Dockerfile'), '--build-arg', `NODE_IMAGE=${opts.baseImage}`, ...mounts, '-t', APP_IMAGE, REPO_ROOT],
        { logFile: opts.logFile, timeoutMs: 30 * 60_000 },
      ),
    30_000,
  );
  const size = await imageSize(APP_IMAGE);
  say(PART, `${APP_IMAGE}: ${(size / 1e6).toFixed(0)} MB`);
  await pruneBuildCache(opts.logFile);
  return { image: APP_IMAGE, size, seconds };
}

/**
 * Removes the build cache this build did not use (layers of earlier sources or lockfiles, which
 * would pile up by hundreds of MB a dependency change); keeps what it committed or took from the
 * cache (`--> <id>` in its log), so the next build with the same lockfile skips `npm ci`. Only
 * images with BUILD_LABEL are touched; an image that still has children is left for a later pass.
 * @param {string} logFile the build's log
 */
export async function pruneBuildCache(logFile) {
  const used = [...readFileSync(logFile, 'utf8').matchAll(/^--> (?:Using cache )?([0-9a-f]{11,64})\s*$/gm)].map((m) => /** @type {string} */ (m[1]));
  if (!used.length) return;
  let removed = 0;
  for (let pass = 0; pass < 10; pass++) {
    const { stdout } = await podman(['images', '--all', '--filter', `label=${BUILD_LABEL}`, '--format', '{{.ID}} {{.Repository}}:{{.Tag}}'], { allowFailure: true });
    const stale = stdout
      .split('\n')
      .map((line) => line.trim().split(' '))
      .filter(([id, name]) => id && name === '<none>:<none>' && !used.some((u) => u.startsWith(id) || id.startsWith(u)))
      .map(([id]) => /** @type {string} */ (id));
    let progress = 0;
    for (const id of stale) if ((await podman(['rmi', id], { allowFailure: true })).code === 0) progress++;
    removed += progress;
    if (!progress) break;
  }
  if (removed) say(PART, `removed ${removed} build-cache image(s) no longer used`);
}

/** Builds the Dapr sentry (the mTLS certificate authority) beside daprd, like build-dapr does daprd. */
async function ensureSentry() {
  if (existsSync(sentryBinary())) return { cached: true, seconds: 0 };
  if (!hasCommand('go')) throw new Error('go not found: sentry is built with the Go toolchain');
  const tmp = `${sentryBinary()}.tmp-${process.pid}`;
  const { seconds } = await step(PART, `go build sentry ${daprVersion()}`, () =>
    runCommand('go', ['build', '-p', String(Number(process.env.TASKSTREAM_GO_P) || 2), '-trimpath', '-ldflags', `-s -w -X github.com/dapr/dapr/pkg/buildinfo.version=${daprVersion()}`, '-o', tmp, 'github.com/dapr/dapr/cmd/sentry'], {
      cwd: join(REPO_ROOT, 'scripts', 'infra', 'dapr'),
      env: { GOFLAGS: [process.env.GOFLAGS, '-buildvcs=false', '-mod=readonly'].filter(Boolean).join(' ') },
      logFile: join(CACHE_DIR, 'logs', `dapr-${daprVersion()}-sentry-build.log`),
      timeoutMs: 60 * 60_000,
    }),
  );
  await runCommand('mv', [tmp, sentryBinary()]);
  return { cached: false, seconds };
}

/** The shared libraries (and the loader) a dynamically linked binary needs, from ldd. @param {string} bin */
async function sharedLibraries(bin) {
  const { stdout } = await runCommand('ldd', [bin]);
  return [...stdout.matchAll(/(\/\S+) \(0x/g)].map((m) => /** @type {string} */ (m[1]));
}

/** @param {string} from @param {string} to */
function place(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  const real = realpathSync(from);
  try {
    linkSync(real, to);
  } catch {
    copyFileSync(real, to);
  }
}

/**
 * The sidecar image: daprd and sentry from the Go build (`infra.mjs build-dapr` makes daprd; sentry
 * is built here the same way), their C library and loader, nothing else; runs as 65532.
 * @param {{ workDir: string, logFile: string }} opts
 */
export async function buildDaprImage(opts) {
  const t0 = Date.now();
  if (!existsSync(daprdBinary())) await buildDapr();
  await ensureSentry();
  const context = join(opts.workDir, 'dapr-image');
  rmSync(context, { recursive: true, force: true });
  const rootfs = join(context, 'rootfs');
  place(daprdBinary(), join(rootfs, 'daprd'));
  place(sentryBinary(), join(rootfs, 'sentry'));
  const libs = new Set([...(await sharedLibraries(daprdBinary())), ...(await sharedLibraries(sentryBinary()))]);
  for (const lib of libs) place(lib, join(rootfs, lib));
  mkdirSync(join(rootfs, 'tmp'), { recursive: true });
  writeFileSync(
    join(context, 'Containerfile'),
    ['FROM scratch', 'COPY rootfs/ /', 'USER 65532:65532', 'ENTRYPOINT ["/daprd"]', ''].join('\n'),
  );
  writeFileSync(opts.logFile, '');
  try {
    await podman(['build', '--format', 'docker', '--pull=never', '--label', BUILD_LABEL, '--cgroup-parent', `/${BUILD_CGROUP}`, '-t', daprImage(), context], { logFile: opts.logFile, timeoutMs: 10 * 60_000 });
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
  const size = await imageSize(daprImage());
  say(PART, `${daprImage()}: daprd + sentry + ${libs.size} libraries, ${(size / 1e6).toFixed(0)} MB, in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return { image: daprImage(), size };
}
