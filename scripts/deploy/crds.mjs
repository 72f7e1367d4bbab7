// CustomResourceDefinitions that the rendered manifests are validated against, gathered offline
// from package registries into ~/.cache/taskstream/crds/<source>-<version>/:
//   - Dapr: charts/dapr/crds/*.yaml inside the Go module github.com/dapr/dapr (the same module
//     scripts/infra builds daprd from), fetched with `go mod download`.
//   - External Secrets Operator: config/crds/bases/external-secrets.io_{externalsecrets,
//     secretstores,clustersecretstores}.yaml inside github.com/external-secrets/external-secrets.
//   - Prometheus Operator: monitoring.coreos.com_{servicemonitors,prometheusrules}.yaml of
//     example/prometheus-operator-crd inside github.com/prometheus-operator/prometheus-operator.
//   - Strimzi: crds/v1beta2/*.yaml inside io.strimzi:api:<version>:jar:tests on Maven Central
//     (the CRD set the operator installs: v1 and v1beta2 served, v1beta2 stored), fetched with
//     `mvn dependency:copy` and unpacked with `jar`/`unzip`.
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR, hasCommand, runCommand, say, step } from '../infra/lib.mjs';

const PART = 'crds';

/** Versions pinned here (the cache key). Dapr matches scripts/infra/dapr/go.mod. */
export const CRD_SOURCES = {
  dapr: { version: 'v1.16.0', module: 'github.com/dapr/dapr', folder: 'charts/dapr/crds', files: /\.yaml$/ },
  externalSecrets: {
    version: 'v1.3.2',
    module: 'github.com/external-secrets/external-secrets',
    folder: 'config/crds/bases',
    files: /^external-secrets\.io_(externalsecrets|secretstores|clustersecretstores)\.yaml$/,
  },
  strimzi: { version: '0.49.1', artifact: 'io.strimzi:api' },
  prometheusOperator: {
    version: 'v0.85.0',
    module: 'github.com/prometheus-operator/prometheus-operator',
    folder: 'example/prometheus-operator-crd',
    files: /^monitoring\.coreos\.com_(servicemonitors|prometheusrules)\.yaml$/,
  },
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

/**
 * CRD files from a folder of a Go module, fetched with `go mod download` (a no-op when the
 * module cache has it).
 * @param {string} name
 * @param {{ module: string, version: string, folder: string, files: RegExp }} source
 */
export async function ensureGoModuleCrds(name, source) {
  const { module, version, folder, files } = source;
  const dir = join(CACHE_DIR, 'crds', `${name}-${version}`);
  return cached(`${name} ${version} CRDs (go mod download ${module}@${version}, ${folder}/)`, dir, async (tmp) => {
    if (!hasCommand('go')) throw new Error(`go not found: the ${name} CRDs come from the Go module ${module}`);
    const { stdout } = await runCommand('go', ['mod', 'download', '-json', `${module}@${version}`], { timeoutMs: 30 * 60_000, env: { GOFLAGS: '-mod=mod' } });
    const src = join(JSON.parse(stdout).Dir, folder);
    const picked = readdirSync(src).filter((f) => files.test(f));
    if (picked.length === 0) throw new Error(`no CRDs matching ${files} in ${src}`);
    for (const file of picked) copyFileSync(join(src, file), join(tmp, file));
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

/** Every CRD folder, for kubectl-validate --local-crds. */
export async function ensureCrds() {
  const dapr = await ensureGoModuleCrds('dapr', CRD_SOURCES.dapr);
  const externalSecrets = await ensureGoModuleCrds('external-secrets', CRD_SOURCES.externalSecrets);
  const strimzi = await ensureStrimziCrds();
  const prometheusOperator = await ensureGoModuleCrds('prometheus-operator', CRD_SOURCES.prometheusOperator);
  return { dapr: dapr.dir, externalSecrets: externalSecrets.dir, strimzi: strimzi.dir, prometheusOperator: prometheusOperator.dir };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await ensureCrds());
