// The chart's own rules, beyond what the schemas say: checked on `helm template` output and on
// the Dockerfile by lint-deploy.mjs. Plain text checks per YAML document (no YAML library: the
// scripts use Node built-ins only), each returning readable problems.

/**
 * @param {string} rendered multi-document YAML from helm template
 * @returns {{ kind: string, name: string, text: string }[]}
 */
export function documents(rendered) {
  return rendered
    .split(/^---\s*$/m)
    .map((text) => ({
      kind: /^kind:\s*(\S+)/m.exec(text)?.[1] ?? '',
      name: /^metadata:\s*\n\s+name:\s*(\S+)/m.exec(text)?.[1] ?? '?',
      text,
    }))
    .filter((d) => d.kind);
}

/** What every Taskstream container must carry (the security and probe requirements). */
const CONTAINER_RULES = [
  [/readOnlyRootFilesystem: true/, 'read-only root filesystem'],
  [/runAsNonRoot: true/, 'runAsNonRoot'],
  [/allowPrivilegeEscalation: false/, 'no privilege escalation'],
  [/drop: \["ALL"\]/, 'all capabilities dropped'],
  [/seccompProfile:\s*\n\s+type: RuntimeDefault/, 'RuntimeDefault seccomp profile'],
  [/limits:\s*\n\s+cpu: \S+\s*\n\s+memory: \S+/, 'cpu and memory limits'],
  [/requests:\s*\n\s+cpu: \S+\s*\n\s+memory: \S+/, 'cpu and memory requests'],
];

/**
 * @param {string} rendered
 * @returns {string[]} problems
 */
export function chartPolicy(rendered) {
  const problems = [];
  const docs = documents(rendered);
  // Secrets come from Kubernetes Secrets or an external store, never from values.
  for (const d of docs.filter((x) => x.kind === 'Secret')) problems.push(`Secret/${d.name}: the chart must not render Secrets (values would hold the secret)`);
  if (/postgres(ql)?:\/\/[^:\s/@]+:[^@\s]+@/.test(rendered)) problems.push('a PostgreSQL URL with a password appears in the rendered manifests');

  for (const d of docs.filter((x) => x.kind === 'Deployment' || x.kind === 'Job')) {
    for (const [re, what] of CONTAINER_RULES) if (!re.test(d.text)) problems.push(`${d.kind}/${d.name}: missing ${what}`);
  }
  for (const d of docs.filter((x) => x.kind === 'Deployment')) {
    if (!/livenessProbe:\s*\n\s+httpGet: \{ path: \/healthz/.test(d.text)) problems.push(`Deployment/${d.name}: liveness probe must GET /healthz`);
    if (!/readinessProbe:\s*\n\s+httpGet: \{ path: \/readyz/.test(d.text)) problems.push(`Deployment/${d.name}: readiness probe must GET /readyz`);
    if (/dapr\.io\/enabled: "true"/.test(d.text)) {
      for (const a of ['app-id', 'app-port', 'config', 'log-level', 'sidecar-cpu-request', 'sidecar-memory-limit']) {
        if (!new RegExp(`dapr\\.io/${a}: `).test(d.text)) problems.push(`Deployment/${d.name}: Dapr annotation dapr.io/${a} missing`);
      }
    }
  }
  for (const d of docs.filter((x) => x.kind === 'Job')) {
    if (!/helm\.sh\/hook: pre-install,pre-upgrade/.test(d.text)) problems.push(`Job/${d.name}: must be a pre-install/pre-upgrade hook`);
    if (!/dapr\.io\/enabled: "false"/.test(d.text)) problems.push(`Job/${d.name}: must not get a Dapr sidecar (it would never complete)`);
  }
  for (const d of docs.filter((x) => x.kind === 'Component')) {
    const type = /^\s+type:\s*(\S+)/m.exec(d.text)?.[1] ?? '';
    if (type !== 'secretstores.kubernetes' && !/^scopes:/m.test(d.text)) problems.push(`Component/${d.name}: ${type} must be scoped to the apps that use it`);
    if (type === 'pubsub.kafka' && !/name: consumerGroup\s*\n\s+value: "\{(appID|podName)\}"/.test(d.text)) problems.push(`Component/${d.name}: consumerGroup must be {appID} or {podName}`);
    if (/^\s+value: .*(password|secret)/im.test(d.text) && !/secretKeyRef/.test(d.text)) problems.push(`Component/${d.name}: credentials must come from secretKeyRef`);
  }
  // Routes only a Dapr sidecar calls (subscriptions, job callbacks, cron bindings), /internal and
  // /metrics answer inside the cluster only: the ingress lists the public paths, and / only exactly.
  const internal = /^\/(dapr|internal|metrics|job|healthz|readyz|daily-cleanup|reminder-sweep|recurrence-sweep)(\/|$)/;
  for (const d of docs.filter((x) => x.kind === 'Ingress')) {
    for (const [, path, type] of d.text.matchAll(/- path: (\S+)\s*\n\s+pathType: (\S+)/g)) {
      if (path === '/' && type !== 'Exact') problems.push(`Ingress/${d.name}: path / must be Exact (as a Prefix it routes everything, sidecar routes included)`);
      if (internal.test(path ?? '')) problems.push(`Ingress/${d.name}: ${path} must not be public`);
    }
  }
  const resiliency = docs.find((x) => x.kind === 'Resiliency');
  if (!resiliency) problems.push('no Dapr Resiliency rendered');
  else if (!/maxRetries: \d+/.test(/^( +)pubsubInbound:\n((?:\1 +.*\n)+)/m.exec(resiliency.text)?.[2] ?? '')) problems.push(`Resiliency/${resiliency.name}: pub/sub inbound retries must be bounded (maxRetries)`);
  return problems;
}

/**
 * @param {string} dockerfile
 * @returns {string[]} problems
 */
export function dockerfilePolicy(dockerfile) {
  const problems = [];
  const lines = dockerfile.split('\n').filter((l) => !/^\s*#/.test(l));
  const text = lines.join('\n');
  if ((text.match(/^FROM /gm) ?? []).length < 3) problems.push('expected a multi-stage build (deps, build, runtime)');
  const users = [...text.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
  const lastUser = users.at(-1);
  if (!lastUser || lastUser === 'root' || lastUser === '0') problems.push('the runtime stage must switch to a non-root USER');
  if (!/^HEALTHCHECK /m.test(text)) problems.push('no HEALTHCHECK');
  if (!/\/healthz/.test(text)) problems.push('HEALTHCHECK should GET /healthz');
  if (!/npm ci --omit=dev/.test(text)) problems.push('runtime dependencies must be installed with npm ci --omit=dev');
  if (!/tini/.test(text)) problems.push('tini (or another init) must be PID 1');
  if (/^ADD\s+https?:/m.test(text)) problems.push('ADD <url> downloads at build time: use a package manager');
  return problems;
}
