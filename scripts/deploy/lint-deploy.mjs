// npm run lint:deploy — validates the deployment offline:
//   - the Helm chart: `helm lint --strict` and `helm template` for each values file (and the
//     external-Kafka and embedded variants), the rendered manifests checked with kubectl-validate
//     against the Kubernetes schemas and the Dapr, Strimzi and External Secrets CRDs, plus the
//     chart's own rules (policy.mjs);
//   - the Dapr control-plane values, rendered with the Dapr chart from the Dapr Go module;
//   - the plain manifests under deploy/k8s (Strimzi Kafka and topics, dev PostgreSQL);
//   - the GitHub Actions workflows with actionlint;
//   - the Dockerfile (dockerfile-utils lint + our rules) and its entrypoint (sh -n).
// Tools and CRDs install themselves into ~/.cache/taskstream (Go module proxy, Maven Central,
// npm); nothing is fetched from a web site. Each check counts as passed or failed; the counts go
// to test-results/lint-deploy.json for .ci/run. Exit code 1 when any check failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CACHE_DIR, REPO_ROOT, runCommand, say, step } from '../infra/lib.mjs';
import { CRD_SOURCES, ensureCrds } from './crds.mjs';
import { chartPolicy, dockerfilePolicy } from './policy.mjs';
import { ensureTools, TOOLS } from './tools.mjs';

const PART = 'lint:deploy';
const CHART = join(REPO_ROOT, 'deploy', 'helm', 'taskstream');
const K8S_DIR = join(REPO_ROOT, 'deploy', 'k8s');
const WORKFLOWS = join(REPO_ROOT, '.github', 'workflows');
const DOCKERFILE = join(REPO_ROOT, 'deploy', 'docker', 'Dockerfile');
const ENTRYPOINT = join(REPO_ROOT, 'deploy', 'docker', 'entrypoint.sh');
const CONTROL_PLANE_VALUES = join(REPO_ROOT, 'deploy', 'dapr', 'k8s', 'control-plane-values.yaml');
const REPORT = join(REPO_ROOT, 'test-results', 'lint-deploy.json');
/** Kubernetes version of the built-in schemas (newest kubectl-validate v0.0.4 embeds). */
const KUBE_VERSION = '1.30';
const DOCKERFILE_UTILS = { name: 'dockerfile-utils', version: '0.16.3' };

/** Chart renderings to check: a values file each, plus variants the values files switch between. */
const SCENARIOS = [
  { name: 'values.yaml (defaults)', args: [] },
  { name: 'values-minikube.yaml', args: ['-f', 'values-minikube.yaml'] },
  { name: 'values-cloud.yaml', args: ['-f', 'values-cloud.yaml'] },
  // What test:deploy plays in podman (scripts/deploy/local), with the settings it adds.
  { name: 'values-local-podman.yaml', args: ['-f', 'values-local-podman.yaml', '--set', 'config.PUBLIC_URL=http://10.89.64.20:8080', '--set', 'kafka.strimzi.bootstrapServers=host.containers.internal:29092'] },
  {
    name: 'values-cloud.yaml + managed Kafka (SASL/SCRAM over TLS)',
    args: ['-f', 'values-cloud.yaml', '--set', 'kafka.mode=external', '--set', 'kafka.external.bootstrapServers=seed.example.cloud.redpanda.com:9092', '--set', 'kafka.external.caCertKey=ca.crt'],
  },
  {
    name: 'values-minikube.yaml + embedded role only',
    args: ['-f', 'values-minikube.yaml', '--set', 'roles.api.enabled=false', '--set', 'roles.notifications.enabled=false', '--set', 'roles.recurrence.enabled=false', '--set', 'roles.audit.enabled=false', '--set', 'roles.realtime.enabled=false', '--set', 'roles.embedded.enabled=true', '--set', 'ingress.enabled=true'],
  },
];

/** @type {{ name: string, ok: boolean, detail?: string }[]} */
const results = [];

/**
 * Runs one named check; a thrown error or a returned string is a failure with that detail.
 * @param {string} name
 * @param {() => Promise<string | void> | string | void} fn
 */
async function check(name, fn) {
  let detail;
  try {
    detail = (await fn()) ?? undefined;
  } catch (e) {
    detail = e instanceof Error ? e.message : String(e);
  }
  const ok = detail === undefined;
  results.push({ name, ok, detail });
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${name}\n`);
  if (!ok) process.stdout.write(`${String(detail).split('\n').map((l) => `     ${l}`).join('\n')}\n`);
}

/** @param {string} cmd @param {string[]} args @param {{ cwd?: string }} [opts] */
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: opts.cwd ?? REPO_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** Fails with the command's output unless it exited 0. @param {ReturnType<typeof run>} r */
const mustPass = (r) => (r.status === 0 ? undefined : `${r.stdout}${r.stderr}`.trim().split('\n').slice(-40).join('\n'));

/**
 * kubectl-validate over files, with the CRD folders; returns a failure text or undefined.
 * @param {string} bin @param {string[]} crdDirs @param {string[]} files
 */
function kubeValidate(bin, crdDirs, files) {
  const r = run(bin, ['--version', KUBE_VERSION, ...crdDirs.flatMap((d) => ['--local-crds', d]), '-o', 'json', ...files]);
  /** @type {Record<string, { status?: string, message?: string }[] | { status?: string, message?: string }>} */
  let parsed;
  try {
    parsed = JSON.parse(r.stdout);
  } catch {
    return mustPass(r) ?? undefined;
  }
  const problems = [];
  for (const [file, res] of Object.entries(parsed)) {
    for (const item of Array.isArray(res) ? res : [res]) {
      if (item.status && item.status !== 'Success') problems.push(`${relative(REPO_ROOT, file) || file}: ${item.message}`);
    }
  }
  if (problems.length) return problems.join('\n');
  return r.status === 0 ? undefined : mustPass(r);
}

/** dockerfile-utils from npm into the tool cache (a speed-up only, like the Go tools). */
async function ensureDockerfileUtils() {
  const dir = join(CACHE_DIR, 'tools', `${DOCKERFILE_UTILS.name}-${DOCKERFILE_UTILS.version}`);
  const bin = join(dir, 'node_modules', '.bin', 'dockerfile-utils');
  if (existsSync(join(dir, '.complete')) && existsSync(bin)) return bin;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await step('tools', `npm install ${DOCKERFILE_UTILS.name}@${DOCKERFILE_UTILS.version}`, () =>
    runCommand('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--no-save', `${DOCKERFILE_UTILS.name}@${DOCKERFILE_UTILS.version}`], { timeoutMs: 10 * 60_000 }),
  );
  writeFileSync(join(dir, '.complete'), `${new Date().toISOString()}\n`);
  return bin;
}

/** Go module folder of a module version in the module cache (downloaded by ensureCrds). */
function goModuleDir(/** @type {string} */ module, /** @type {string} */ version) {
  const r = run('go', ['mod', 'download', '-json', `${module}@${version}`]);
  if (r.status !== 0) throw new Error(mustPass(r));
  return JSON.parse(r.stdout).Dir;
}

/** @param {string} dir @returns {string[]} yaml files below dir */
function yamlFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

async function main() {
  const t0 = Date.now();
  const { value: tools } = await step(PART, 'tools (helm, kubectl-validate, actionlint, promtool)', ensureTools, 15_000);
  const { value: crds } = await step(PART, 'CRDs (Dapr, Strimzi, External Secrets, Prometheus Operator)', ensureCrds, 15_000);
  const dockerfileUtils = await ensureDockerfileUtils().catch((e) => e);
  const helm = tools.helm.path;
  const validator = tools.kubectlValidate.path;
  const crdDirs = [crds.dapr, crds.strimzi, crds.externalSecrets, crds.prometheusOperator];
  const work = mkdtempSync(join(tmpdir(), 'taskstream-lint-deploy-'));
  say(PART, `checking: chart ${relative(REPO_ROOT, CHART)} (${SCENARIOS.length} renderings), Dapr control plane values, ${relative(REPO_ROOT, K8S_DIR)}, workflows, Dockerfile, alert rules; Kubernetes ${KUBE_VERSION} schemas, Dapr ${CRD_SOURCES.dapr.version} / Strimzi ${CRD_SOURCES.strimzi.version} / External Secrets ${CRD_SOURCES.externalSecrets.version} / Prometheus Operator ${CRD_SOURCES.prometheusOperator.version} CRDs; alert rules (promtool ${TOOLS.promtool.version})`);
  try {
    for (const [i, scenario] of SCENARIOS.entries()) {
      const helmArgs = [...scenario.args, '--kube-version', `${KUBE_VERSION}.0`];
      await check(`helm lint --strict: ${scenario.name}`, () => mustPass(run(helm, ['lint', '--strict', ...helmArgs, '.'], { cwd: CHART })));
      const rendered = join(work, `chart-${i}.yaml`);
      let text = '';
      await check(`helm template: ${scenario.name}`, () => {
        const r = run(helm, ['template', 'taskstream', '.', '--namespace', 'taskstream', ...helmArgs], { cwd: CHART });
        if (r.status !== 0) return mustPass(r);
        text = r.stdout;
        writeFileSync(rendered, text);
      });
      if (!text) continue;
      await check(`kubectl-validate (k8s ${KUBE_VERSION} + CRDs): ${scenario.name}`, () => kubeValidate(validator, crdDirs, [rendered]));
      await check(`chart rules: ${scenario.name}`, () => {
        const problems = chartPolicy(text);
        return problems.length ? problems.join('\n') : undefined;
      });
    }

    // The alert rules the PrometheusRule embeds, checked and played through their unit tests.
    const monitoring = join(CHART, 'monitoring');
    await check('promtool check rules: monitoring/alerts.yaml', () => mustPass(run(tools.promtool.path, ['check', 'rules', 'alerts.yaml'], { cwd: monitoring })));
    await check('promtool test rules: monitoring/alerts.test.yaml', () => mustPass(run(tools.promtool.path, ['test', 'rules', 'alerts.test.yaml'], { cwd: monitoring })));

    await check(`Dapr ${CRD_SOURCES.dapr.version} control plane chart + deploy/dapr/k8s/control-plane-values.yaml`, () => {
      const daprChart = join(goModuleDir(CRD_SOURCES.dapr.module, CRD_SOURCES.dapr.version), 'charts', 'dapr');
      const r = run(helm, ['template', 'dapr', daprChart, '--namespace', 'dapr-system', '-f', CONTROL_PLANE_VALUES, '--kube-version', `${KUBE_VERSION}.0`]);
      if (r.status !== 0) return mustPass(r);
      const file = join(work, 'dapr-control-plane.yaml');
      writeFileSync(file, r.stdout);
      return kubeValidate(validator, crdDirs, [file]);
    });

    for (const file of yamlFiles(K8S_DIR)) {
      await check(`kubectl-validate: ${relative(REPO_ROOT, file)}`, () => kubeValidate(validator, crdDirs, [file]));
    }

    const workflows = existsSync(WORKFLOWS) ? readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)) : [];
    if (workflows.length === 0) await check('GitHub Actions workflows exist in .github/workflows', () => 'none found');
    for (const wf of workflows) {
      await check(`actionlint: .github/workflows/${wf}`, () => mustPass(run(tools.actionlint.path, ['-no-color', join('.github', 'workflows', wf)])));
    }

    await check('Dockerfile: dockerfile-utils lint', () => {
      if (dockerfileUtils instanceof Error) return `could not install dockerfile-utils: ${dockerfileUtils.message}`;
      return mustPass(run(dockerfileUtils, ['lint', DOCKERFILE]));
    });
    await check('Dockerfile: multi-stage, non-root, healthcheck, pruned dependencies, tini', () => {
      const problems = dockerfilePolicy(readFileSync(DOCKERFILE, 'utf8'));
      return problems.length ? problems.join('\n') : undefined;
    });
    await check('deploy/docker/entrypoint.sh: sh -n', () => mustPass(run('sh', ['-n', ENTRYPOINT])));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  mkdirSync(join(REPO_ROOT, 'test-results'), { recursive: true });
  // The shape .ci/run reads from vitest reports, so it counts these checks the same way.
  writeFileSync(REPORT, JSON.stringify({ numPassedTests: passed, numFailedTests: failed, numRuntimeErrorTestSuites: 0, checks: results }, null, 2));
  console.log(`\nlint:deploy — ${results.length} checks in ${((Date.now() - t0) / 1000).toFixed(1)}s: ${passed} ok, ${failed} failing (report: ${relative(REPO_ROOT, REPORT)})`);
  return failed === 0;
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (e) => {
    console.error(`[lint:deploy] could not run the checks: ${e instanceof Error ? e.message : e}`);
    mkdirSync(join(REPO_ROOT, 'test-results'), { recursive: true });
    writeFileSync(REPORT, JSON.stringify({ numPassedTests: results.filter((r) => r.ok).length, numFailedTests: results.filter((r) => !r.ok).length + 1, numRuntimeErrorTestSuites: 0, checks: results, error: String(e) }, null, 2));
    process.exit(1);
  },
);
