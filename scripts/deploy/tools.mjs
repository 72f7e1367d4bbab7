// The command-line tools the deployment checks need, built from the Go module proxy with
// `go install` into ~/.cache/taskstream/tools/<name>-<version>/ (only a speed-up: a missing or
// half-written tool is built again). Versions are pinned here; bump them here.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR, hasCommand, runCommand, say, step } from '../infra/lib.mjs';

const PART = 'tools';

/**
 * @typedef {{ name: string, module: string, pkg: string, version: string, why: string, ldflags?: string[], tags?: string[] }} GoTool
 * @type {Record<'helm' | 'kubectlValidate' | 'actionlint' | 'promtool', GoTool>}
 */
export const TOOLS = {
  helm: {
    name: 'helm',
    module: 'helm.sh/helm/v3',
    pkg: 'helm.sh/helm/v3/cmd/helm',
    version: 'v3.22.0',
    why: 'helm lint / helm template',
    // What Helm's Makefile stamps in; without them `go install` leaves Helm believing it talks
    // to Kubernetes 1.20 (its built-in default) and reporting no version. 1.37 = its client-go v0.37.
    ldflags: [
      '-X helm.sh/helm/v3/internal/version.version=v3.22.0',
      '-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1',
      '-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=37',
      '-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1',
      '-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=37',
    ],
  },
  // Embeds the built-in OpenAPI schemas of Kubernetes 1.23–1.30 and validates custom resources
  // against CRD files given with --local-crds (structural schema + CEL rules), all offline.
  kubectlValidate: {
    name: 'kubectl-validate',
    module: 'sigs.k8s.io/kubectl-validate',
    pkg: 'sigs.k8s.io/kubectl-validate',
    version: 'v0.0.4',
    why: 'manifests against Kubernetes schemas and CRDs',
  },
  actionlint: { name: 'actionlint', module: 'github.com/rhysd/actionlint', pkg: 'github.com/rhysd/actionlint/cmd/actionlint', version: 'v1.7.12', why: 'GitHub Actions workflows' },
  // Prometheus's rule checker and rule unit tester (v0.316.0 of the Go module = Prometheus 3.16).
  // remove_all_sd leaves out the service-discovery plugins (AWS, Azure, GCE, Kubernetes, …) that
  // rule checking never uses: the full build took 16 min here, most of it compiling cloud SDKs.
  promtool: {
    name: 'promtool',
    module: 'github.com/prometheus/prometheus',
    pkg: 'github.com/prometheus/prometheus/cmd/promtool',
    version: 'v0.316.0',
    why: 'promtool check rules / test rules',
    tags: ['remove_all_sd'],
  },
};

/** @param {GoTool} tool */
export const toolDir = (tool) => join(CACHE_DIR, 'tools', `${tool.name}-${tool.version}`);
/** @param {GoTool} tool */
export const toolBinary = (tool) => join(toolDir(tool), tool.name);

/**
 * Returns the path of a tool's binary, building it with `go install <pkg>@<version>` when the
 * cache lacks it. The binary is moved into place only after the build succeeded, and a
 * `.complete` marker is written last.
 * @param {GoTool} tool
 * @returns {Promise<{ path: string, cached: boolean, seconds: number }>}
 */
export async function ensureTool(tool) {
  const dir = toolDir(tool);
  const bin = toolBinary(tool);
  if (existsSync(join(dir, '.complete')) && existsSync(bin)) {
    say(PART, `${tool.name} ${tool.version} cached (${bin})`);
    return { path: bin, cached: true, seconds: 0 };
  }
  if (!hasCommand('go')) throw new Error(`go not found: ${tool.name} is built with the Go toolchain (install Go ≥ 1.26)`);
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const logFile = join(CACHE_DIR, 'logs', `${tool.name}-${tool.version}-go-install.log`);
  const { seconds } = await step(PART, `go install ${tool.pkg}@${tool.version} (log: ${logFile})`, () =>
    runCommand('go', ['install', '-trimpath', ...(tool.tags ? ['-tags', tool.tags.join(',')] : []), '-ldflags', ['-s', '-w', ...(tool.ldflags ?? [])].join(' '), `${tool.pkg}@${tool.version}`], {
      // `go install pkg@version` builds outside any module: our go.mod files play no part.
      env: { GOBIN: tmp, GOFLAGS: '-buildvcs=false', CGO_ENABLED: '0' },
      logFile,
      timeoutMs: 60 * 60_000,
    }),
  );
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  writeFileSync(join(dir, '.complete'), `${new Date().toISOString()} built in ${seconds.toFixed(1)}s\n`);
  return { path: bin, cached: false, seconds };
}

/** Builds every tool that is missing (one at a time: the machines have 2 cores). */
export async function ensureTools() {
  /** @type {Record<string, { path: string, cached: boolean, seconds: number }>} */
  const out = {};
  for (const [key, tool] of Object.entries(TOOLS)) out[key] = await ensureTool(tool);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await ensureTools();
  for (const [key, r] of Object.entries(result)) console.log(`${key}: ${r.path}${r.cached ? ' (cached)' : ` (built in ${r.seconds.toFixed(1)}s)`}`);
}
