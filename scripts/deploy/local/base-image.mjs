// The base image the Dockerfile builds FROM here (ARG NODE_IMAGE), since no image can be pulled:
// Debian trixie (its nodejs is 20.19; bookworm's is 18) made with debootstrap, plus what the
// Dockerfile expects of node:20-*-slim — npm (the version that wrote package-lock.json), tini, a
// `node` user with uid 1000 — then `podman import`. The root file system is cached as a tarball
// under ~/.cache/taskstream/images/, keyed by these inputs (a speed-up: without it the image is
// built again, in about 3 minutes).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR, aptInstall, hasCommand, isRoot, runCommand, say, step } from '../../infra/lib.mjs';
import { imageExists, podman } from './podman.mjs';

const PART = 'base image';

/** Everything that decides the image's content; its hash is the cache key and the image tag. */
export const BASE_INPUTS = Object.freeze({
  suite: 'trixie',
  mirror: process.env.TASKSTREAM_DEBIAN_MIRROR || 'http://deb.debian.org/debian',
  variant: 'minbase',
  packages: ['nodejs', 'tini', 'ca-certificates'],
  // npm from the npm registry (Debian's npm package brings ~300 MB of node-* packages); 11.x is
  // what wrote package-lock.json — npm 10 reads it as out of sync.
  npm: '11.19.1',
  user: { name: 'node', uid: 1000 },
  // Bump when the recipe below changes.
  recipe: 1,
});

const PATH_ENV = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export const baseKey = () => createHash('sha256').update(JSON.stringify(BASE_INPUTS)).digest('hex').slice(0, 12);
export const baseImageName = () => `localhost/taskstream-base:${BASE_INPUTS.suite}-${baseKey()}`;
const tarball = () => join(CACHE_DIR, 'images', `taskstream-base-${BASE_INPUTS.suite}-${baseKey()}.tar`);

/**
 * Makes sure the base image exists in podman's storage: already there, imported from the cached
 * tarball, or built with debootstrap.
 * @returns {Promise<{ image: string, source: 'podman' | 'cache' | 'debootstrap', seconds: number }>}
 */
export async function ensureBaseImage() {
  const image = baseImageName();
  const t0 = Date.now();
  if (await imageExists(image)) {
    say(PART, `${image} present`);
    return { image, source: 'podman', seconds: 0 };
  }
  let source = /** @type {'cache' | 'debootstrap'} */ ('cache');
  if (!existsSync(`${tarball()}.complete`) || !existsSync(tarball())) {
    await buildTarball();
    source = 'debootstrap';
  }
  await step(PART, `podman import ${tarball()} → ${image}`, () =>
    podman(['import', '--change', `ENV PATH=${PATH_ENV}`, '--change', 'CMD ["/bin/sh"]', '--message', `debootstrap ${BASE_INPUTS.suite} + ${BASE_INPUTS.packages.join(' ')} + npm ${BASE_INPUTS.npm}`, tarball(), image], { timeoutMs: 10 * 60_000 }),
  );
  return { image, source, seconds: (Date.now() - t0) / 1000 };
}

async function buildTarball() {
  if (!isRoot()) throw new Error('debootstrap and chroot need root: run the deployment tier as root (as CI does)');
  if (!hasCommand('debootstrap')) await aptInstall(PART, 'debootstrap', 'debootstrap not found');
  const dir = join(CACHE_DIR, 'images');
  const work = join(dir, `work-${process.pid}`);
  const rootfs = join(work, 'rootfs');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const logFile = join(CACHE_DIR, 'logs', `taskstream-base-${baseKey()}.log`);
  try {
    const { suite, mirror, variant, packages, npm, user } = BASE_INPUTS;
    await step(PART, `debootstrap --variant=${variant} --include=${packages.join(',')} ${suite} (log: ${logFile})`, () =>
      runCommand('debootstrap', [`--variant=${variant}`, `--include=${packages.join(',')}`, suite, rootfs, mirror], { logFile, timeoutMs: 20 * 60_000 }),
    );
    await step(PART, `npm ${npm} from the npm registry`, async () => {
      await runCommand('npm', ['pack', `npm@${npm}`, '--pack-destination', work], { timeoutMs: 5 * 60_000 });
      const npmDir = join(rootfs, 'usr', 'lib', 'node_modules', 'npm');
      mkdirSync(npmDir, { recursive: true });
      await runCommand('tar', ['-xzf', join(work, `npm-${npm}.tgz`), '-C', npmDir, '--strip-components=1', '--no-same-owner']);
      for (const [bin, target] of [['npm', 'npm-cli.js'], ['npx', 'npx-cli.js']]) {
        rmSync(join(rootfs, 'usr', 'bin', bin), { force: true });
        symlinkSync(`../lib/node_modules/npm/bin/${target}`, join(rootfs, 'usr', 'bin', bin));
      }
    });
    await runCommand('chroot', [rootfs, '/bin/sh', '-c', `groupadd -g ${user.uid} ${user.name} && useradd -u ${user.uid} -g ${user.name} -m -s /bin/sh ${user.name} && node --version && npm --version`], { logFile });
    // What slim images leave out: docs, man pages, translations, apt's package lists and caches.
    for (const sub of ['usr/share/doc', 'usr/share/man', 'usr/share/locale', 'usr/share/info', 'var/cache/apt', 'var/lib/apt/lists']) {
      rmSync(join(rootfs, sub), { recursive: true, force: true });
    }
    for (const sub of ['usr/share/doc', 'usr/share/man', 'usr/share/locale', 'var/cache/apt/archives/partial', 'var/lib/apt/lists/partial']) mkdirSync(join(rootfs, sub), { recursive: true });
    const tmp = `${tarball()}.tmp-${process.pid}`;
    await step(PART, `packing the root file system into ${tarball()}`, () => runCommand('tar', ['-C', rootfs, '--numeric-owner', '-cf', tmp, '.'], { timeoutMs: 10 * 60_000 }));
    renameSync(tmp, tarball());
    writeFileSync(`${tarball()}.complete`, `${JSON.stringify(BASE_INPUTS)}\n${new Date().toISOString()}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
