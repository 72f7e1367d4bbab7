// CustomResourceDefinitions that the rendered manifests are validated against, gathered offline
// from package registries into ~/.cache/taskstream/crds/<source>-<version>/:
//   - Dapr: charts/dapr/crds/*.yaml inside the Go module github.com/dapr/dapr (the same module
//     scripts/infra builds daprd from), fetched with `go mod download`.
//   - Strimzi: crds/v1beta2/*.yaml inside io.strimzi:api:<version>:jar:tests on Maven Central
//     (the CRD set the operator installs: v1 and v1beta2 served, v1beta2 stored), fetched with
//     `mvn dependency:copy` and unpacked with `jar`/`unzip`.
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR, hasCommand, runCommand, say, step } from '../infra/lib.mjs';

const PART = 'crds';

/** Versions pinned here (the cache key). Dapr matches scripts/infra/dapr/go.mod. */
export const CRD_SOURCES = {
  dapr: { version: 'v1.16.0', module: 'github.com/dapr/dapr' },
  strimzi: { version: '0.49.1', artifact: 'io.strimzi:api' },
};

/**
 * Fills `dir` with `fill(tmp)` unless a complete copy is cached; the directory appears only
 * when complete.
 * @param {string} name
 * @param {string} dir
 * @param {(tmp: string) => Promise<void>} fill
 */
async function cached(name, dir, fill) {
  if (existsSync(join(dir, '.complete'))) {
    say(PART, `${name} cached (${dir})`);
    return { dir, cached: true };
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const { seconds } = await step(PART, `fetching ${name}`, () => fill(tmp));
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  writeFileSync(join(dir, '.complete'), `${new Date().toISOString()} in ${seconds.toFixed(1)}s\n`);
  return { dir, cached: false };
}

export async function ensureDaprCrds() {
  const { module, version } = CRD_SOURCES.dapr;
  const dir = join(CACHE_DIR, 'crds', `dapr-${version}`);
  return cached(`Dapr ${version} CRDs (go mod download ${module}@${version})`, dir, async (tmp) => {
    if (!hasCommand('go')) throw new Error('go not found: the Dapr CRDs come from the Dapr Go module');
    // Prints the module's folder in the module cache; downloads it only when missing.
    const { stdout } = await runCommand('go', ['mod', 'download', '-json', `${module}@${version}`], { timeoutMs: 30 * 60_000, env: { GOFLAGS: '-mod=mod' } });
    const moduleDir = JSON.parse(stdout).Dir;
    const src = join(moduleDir, 'charts', 'dapr', 'crds');
    for (const file of readdirSync(src).filter((f) => f.endsWith('.yaml'))) copyFileSync(join(src, file), join(tmp, file));
  });
}

export async function ensureStrimziCrds() {
  const { artifact, version } = CRD_SOURCES.strimzi;
  const dir = join(CACHE_DIR, 'crds', `strimzi-${version}`);
  return cached(`Strimzi ${version} CRDs (${artifact}:${version}:jar:tests from Maven Central)`, dir, async (tmp) => {
    if (!hasCommand('mvn')) throw new Error('mvn not found: the Strimzi CRDs come from Maven Central (install the Debian package "maven")');
    const jarDir = join(tmp, 'jar');
    await runCommand(
      'mvn',
      ['-q', '-B', '-Dstyle.color=never', 'dependency:copy', `-Dartifact=${artifact}:${version}:jar:tests`, `-DoutputDirectory=${jarDir}`, '-Dmdep.stripVersion=true'],
      { cwd: tmp, logFile: join(CACHE_DIR, 'logs', `strimzi-crds-${version}-mvn.log`), timeoutMs: 20 * 60_000 },
    );
    const jar = join(jarDir, 'api-tests.jar');
    const unpack = join(tmp, 'unpacked');
    mkdirSync(unpack);
    if (hasCommand('unzip')) await runCommand('unzip', ['-q', jar, 'crds/v1beta2/*'], { cwd: unpack });
    else await runCommand('jar', ['xf', jar, 'crds/v1beta2'], { cwd: unpack });
    const src = join(unpack, 'crds', 'v1beta2');
    const files = readdirSync(src).filter((f) => f.endsWith('.yaml'));
    if (files.length === 0) throw new Error(`no CRDs in ${jar} (crds/v1beta2/)`);
    for (const file of files) copyFileSync(join(src, file), join(tmp, file));
    rmSync(jarDir, { recursive: true, force: true });
    rmSync(unpack, { recursive: true, force: true });
  });
}

/** Both CRD folders, for kubectl-validate --local-crds. */
export async function ensureCrds() {
  const dapr = await ensureDaprCrds();
  const strimzi = await ensureStrimziCrds();
  return { dapr: dapr.dir, strimzi: strimzi.dir };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await ensureCrds());
