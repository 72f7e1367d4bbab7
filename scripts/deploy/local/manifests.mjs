// From `helm template` to what podman runs, with every change Kubernetes or the Dapr control plane
// would have made spelled out here:
//   - the migration hook Job → a Pod played first (helm runs the hook before the Deployments);
//   - each Deployment with dapr.io/enabled → the same Deployment plus the daprd container the
//     sidecar injector adds, its flags taken from the pod's dapr.io/* annotations (self-hosted
//     mode: components and Configuration from mounted files instead of the operator; mTLS
//     certificates from a sentry pod; app ids resolved by Dapr's kubernetes name resolver);
//   - the Services' and the sidecars' cluster DNS names → hostAliases to fixed pod addresses;
//   - Components: secretstores.kubernetes → secretstores.local.file over the same Secrets, and
//     components that read a secretKeyRef name that store (Kubernetes needs no auth.secretStore);
//   - containerPorts → dropped (podman 4.3 publishes them on the host; pod addresses are reachable);
//   - probes → checked from outside by the tier (podman 4.3 turns httpGet probes into `curl` run
//     inside the container, which the image does not have, and runs no periodic checks without systemd).
// Not played: Service, NetworkPolicy, PodDisruptionBudget, HPA, ServiceAccount/Role/RoleBinding.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { REPO_ROOT } from '../../infra/lib.mjs';
import { NETWORK, RUN_LABEL } from './podman.mjs';

/** @type {{ parseAllDocuments: (text: string) => { toJSON(): any }[], stringify: (value: unknown, options?: object) => string }} */
const YAML = createRequire(join(REPO_ROOT, 'apps', 'api', 'package.json'))('yaml');

export const NAMESPACE = 'taskstream';
export const RELEASE = 'taskstream';
const ROLE_ORDER = ['api', 'notifications', 'recurrence', 'audit', 'realtime', 'embedded'];
/** Fixed pod addresses on NETWORK (podman kube play --ip), standing in for Services and cluster DNS. */
const base = NETWORK.gateway.split('.').slice(0, 3).join('.');
export const ADDRESSES = Object.freeze({
  sentry: `${base}.10`,
  migrate: `${base}.19`,
  /** @type {Record<string, string>} */
  roles: Object.fromEntries(ROLE_ORDER.map((r, i) => [r, `${base}.${20 + i}`])),
});
export const SENTRY = Object.freeze({ host: 'dapr-sentry.dapr-system.svc.cluster.local', namespace: 'dapr-system', trustDomain: 'cluster.local', port: 50001 });
/** Where the daprd containers find their files (hostPath mounts of the run folder). */
const MOUNTS = { resources: '/dapr/resources', config: '/dapr/config', secrets: '/dapr/secrets' };
const SECRETS_FILE = `${MOUNTS.secrets}/secrets.json`;
const RUN_LABEL_KEY = RUN_LABEL.split('=')[0] ?? '';
const RUN_LABEL_VALUE = RUN_LABEL.split('=')[1] ?? '';

/** @param {string} text */
export const parseManifests = (text) =>
  YAML.parseAllDocuments(text)
    .map((d) => d.toJSON())
    .filter((d) => d && typeof d === 'object' && d.kind);

/** @param {unknown} value */
export const toYaml = (value) => YAML.stringify(value, { lineWidth: 0 });

/**
 * @typedef {{ role: string, appId: string | null, ip: string, podName: string, manifest: any, probes: { startup?: string, readiness?: string, liveness?: string } }} RolePod
 * @typedef {{
 *   configMaps: any[],
 *   migrate: { podName: string, container: string, manifest: any } | null,
 *   roles: RolePod[],
 *   daprResources: any[],
 *   daprConfigs: Record<string, any>,
 *   secretNames: string[],
 *   skipped: string[],
 * }} Plan
 */

/**
 * @param {any[]} docs rendered manifests
 * @param {{ runDir: string, daprImage: string, trustAnchors: string }} opts
 * @returns {Plan}
 */
export function planFromManifests(docs, opts) {
  /** @type {Plan} */
  const plan = { configMaps: [], migrate: null, roles: [], daprResources: [], daprConfigs: {}, secretNames: [], skipped: [] };
  const secretStore = docs.find((d) => d.kind === 'Component' && d.spec?.type === 'secretstores.kubernetes')?.metadata?.name ?? 'secretstore';
  const deployments = docs.filter((d) => d.kind === 'Deployment');
  const hostAliases = aliases(deployments);
  for (const doc of docs) {
    const id = `${doc.kind}/${doc.metadata?.name}`;
    if (doc.kind === 'ConfigMap') plan.configMaps.push(doc);
    else if (doc.kind === 'Job') plan.migrate = migratePod(doc, hostAliases);
    else if (doc.kind === 'Deployment') plan.roles.push(rolePod(doc, hostAliases, opts));
    else if (doc.kind === 'Component') plan.daprResources.push(selfHostedComponent(doc, secretStore));
    else if (doc.kind === 'Resiliency') plan.daprResources.push(doc);
    else if (doc.kind === 'Configuration') plan.daprConfigs[doc.metadata.name] = selfHostedConfiguration(doc);
    else plan.skipped.push(id);
  }
  plan.roles.sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role));
  plan.secretNames = [...new Set(JSON.stringify(docs).match(/"secretKeyRef":\{[^}]*"name":"([^"]+)"/g)?.map((m) => /"name":"([^"]+)"/.exec(m)?.[1] ?? '') ?? [])];
  return plan;
}

/** Cluster DNS names the pods use → fixed addresses (a Service per role; `<app-id>-dapr` per sidecar; sentry). @param {any[]} deployments */
function aliases(deployments) {
  const out = [{ ip: ADDRESSES.sentry, hostnames: [SENTRY.host] }];
  for (const d of deployments) {
    const role = d.metadata.labels?.['app.kubernetes.io/component'];
    const ip = ADDRESSES.roles[role];
    if (!ip) throw new Error(`Deployment ${d.metadata.name}: unknown role ${role}`);
    const appId = d.spec.template.metadata.annotations?.['dapr.io/app-id'];
    const names = [d.metadata.name, `${d.metadata.name}.${NAMESPACE}.svc.cluster.local`];
    if (appId) names.push(`${appId}-dapr.${NAMESPACE}.svc.cluster.local`);
    out.push({ ip, hostnames: names });
  }
  return out;
}

/** @param {any} template pod template @param {any[]} hostAliases */
function podSpec(template, hostAliases) {
  const spec = structuredClone(template.spec);
  spec.hostAliases = hostAliases;
  return spec;
}

/** @param {any} meta @param {string} name */
const podMeta = (meta, name) => ({ name, labels: { ...meta?.labels, [RUN_LABEL_KEY]: RUN_LABEL_VALUE }, annotations: meta?.annotations ?? {} });

/** @param {any} job @param {any[]} hostAliases */
function migratePod(job, hostAliases) {
  const podName = job.metadata.name;
  const spec = podSpec(job.spec.template, hostAliases);
  for (const c of spec.containers) delete c.ports;
  return { podName, container: `${podName}-${spec.containers[0].name}`, manifest: { apiVersion: 'v1', kind: 'Pod', metadata: podMeta(job.spec.template.metadata, podName), spec } };
}

/**
 * @param {any} deployment
 * @param {any[]} hostAliases
 * @param {{ runDir: string, daprImage: string, trustAnchors: string }} opts
 * @returns {RolePod}
 */
function rolePod(deployment, hostAliases, opts) {
  const d = structuredClone(deployment);
  const role = d.metadata.labels['app.kubernetes.io/component'];
  const template = d.spec.template;
  template.metadata = podMeta(template.metadata, '');
  delete template.metadata.name;
  template.spec = podSpec(template, hostAliases);
  const app = template.spec.containers[0];
  const probes = { startup: app.startupProbe?.httpGet?.path, readiness: app.readinessProbe?.httpGet?.path, liveness: app.livenessProbe?.httpGet?.path };
  for (const c of template.spec.containers) {
    delete c.startupProbe;
    delete c.livenessProbe;
    delete c.readinessProbe;
    // Informational on Kubernetes; podman 4.3 publishes every containerPort on the host's 0.0.0.0.
    delete c.ports;
  }
  d.spec.replicas = 1;
  const annotations = template.metadata.annotations ?? {};
  const appId = annotations['dapr.io/enabled'] === 'true' ? annotations['dapr.io/app-id'] : null;
  if (appId) {
    template.spec.containers.push(daprdContainer(annotations, opts));
    template.spec.volumes = [
      ...(template.spec.volumes ?? []),
      { name: 'dapr-resources', hostPath: { path: join(opts.runDir, 'dapr', 'resources'), type: 'Directory' } },
      { name: 'dapr-config', hostPath: { path: join(opts.runDir, 'dapr', 'config'), type: 'Directory' } },
      { name: 'dapr-secrets', hostPath: { path: join(opts.runDir, 'dapr', 'secrets'), type: 'Directory' } },
    ];
  }
  return { role, appId, ip: ADDRESSES.roles[role] ?? '', podName: `${d.metadata.name}-pod-0`, manifest: d, probes };
}

/**
 * The container Dapr's sidecar injector adds, for self-hosted daprd (flags as the injector sets
 * them from the annotations; ports are the injector's defaults).
 * @param {Record<string, string>} a the pod's annotations
 * @param {{ daprImage: string, trustAnchors: string }} opts
 */
function daprdContainer(a, opts) {
  const flag = (/** @type {string} */ name, /** @type {string} */ annotation) => (a[annotation] !== undefined ? [`--${name}`, a[annotation]] : []);
  const bool = (/** @type {string} */ name, /** @type {string} */ annotation) => (a[annotation] !== undefined ? [`--${name}=${a[annotation]}`] : []);
  const args = [
    '--mode', 'standalone',
    ...flag('app-id', 'dapr.io/app-id'),
    ...flag('app-port', 'dapr.io/app-port'),
    ...flag('app-protocol', 'dapr.io/app-protocol'),
    '--dapr-http-port', '3500',
    '--dapr-grpc-port', '50001',
    '--dapr-internal-grpc-port', '50002',
    '--dapr-public-port', '3501',
    '--dapr-listen-addresses', '127.0.0.1',
    '--resources-path', MOUNTS.resources,
    '--config', `${MOUNTS.config}/${a['dapr.io/config']}.yaml`,
    ...flag('log-level', 'dapr.io/log-level'),
    ...(a['dapr.io/log-as-json'] === 'true' ? ['--log-as-json'] : []),
    ...bool('enable-metrics', 'dapr.io/enable-metrics'),
    ...flag('metrics-port', 'dapr.io/metrics-port'),
    ...bool('enable-app-health-check', 'dapr.io/enable-app-health-check'),
    ...flag('app-health-check-path', 'dapr.io/app-health-check-path'),
    ...flag('app-health-probe-interval', 'dapr.io/app-health-probe-interval'),
    ...flag('dapr-graceful-shutdown-seconds', 'dapr.io/graceful-shutdown-seconds'),
    '--enable-mtls',
    '--sentry-address', `${SENTRY.host}:${SENTRY.port}`,
    '--control-plane-namespace', SENTRY.namespace,
    '--control-plane-trust-domain', SENTRY.trustDomain,
  ];
  const env = [
    { name: 'NAMESPACE', value: NAMESPACE },
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'DAPR_TRUST_ANCHORS', value: opts.trustAnchors },
  ];
  if (a['dapr.io/app-token-secret']) env.push({ name: 'APP_API_TOKEN', valueFrom: { secretKeyRef: { name: a['dapr.io/app-token-secret'], key: 'token' } } });
  return {
    name: 'daprd',
    image: opts.daprImage,
    imagePullPolicy: 'Never',
    command: ['/daprd'],
    args,
    env,
    resources: {
      requests: { cpu: a['dapr.io/sidecar-cpu-request'], memory: a['dapr.io/sidecar-memory-request'] },
      limits: { cpu: a['dapr.io/sidecar-cpu-limit'], memory: a['dapr.io/sidecar-memory-limit'] },
    },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: a['dapr.io/sidecar-seccomp-profile-type'] ?? 'RuntimeDefault' },
    },
    volumeMounts: [
      { name: 'dapr-resources', mountPath: MOUNTS.resources, readOnly: true },
      { name: 'dapr-config', mountPath: MOUNTS.config, readOnly: true },
      { name: 'dapr-secrets', mountPath: MOUNTS.secrets, readOnly: true },
    ],
  };
}

/** @param {any} component @param {string} secretStore */
function selfHostedComponent(component, secretStore) {
  const c = structuredClone(component);
  if (c.spec.type === 'secretstores.kubernetes') {
    // The same Secrets (name → keys), read from a file the tier writes instead of the Kubernetes API.
    c.spec = { type: 'secretstores.local.file', version: 'v1', metadata: [{ name: 'secretsFile', value: SECRETS_FILE }, { name: 'multiValued', value: 'true' }] };
    return c;
  }
  if ((c.spec.metadata ?? []).some((/** @type {any} */ m) => m.secretKeyRef)) c.auth = { secretStore };
  return c;
}

/** Kubernetes name resolution without Kubernetes: `<app-id>-dapr.<namespace>.svc.cluster.local`, answered by hostAliases. @param {any} configuration */
function selfHostedConfiguration(configuration) {
  const c = structuredClone(configuration);
  c.spec.nameResolution = { component: 'kubernetes', configuration: { clusterDomain: 'cluster.local' } };
  return c;
}

/**
 * The Dapr control plane's one part the pods need here: sentry (the certificate authority of
 * mTLS, which access control identifies callers by), as `dapr init -k` runs it in dapr-system.
 * @param {{ daprImage: string, credentialsDir: string, configDir: string }} opts
 */
export function sentryPod(opts) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'dapr-sentry', labels: { app: 'dapr-sentry', [RUN_LABEL_KEY]: RUN_LABEL_VALUE } },
    spec: {
      securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532 },
      containers: [
        {
          name: 'sentry',
          image: opts.daprImage,
          imagePullPolicy: 'Never',
          command: ['/sentry'],
          args: ['--config', '/var/run/dapr/config/daprsystem.yaml', '--issuer-credentials', '/var/run/dapr/credentials', '--trust-domain', SENTRY.trustDomain, '--port', String(SENTRY.port), '--healthz-port', '8080', '--metrics-port', '9090', '--log-level', 'info'],
          env: [{ name: 'NAMESPACE', value: SENTRY.namespace }],
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          volumeMounts: [
            { name: 'credentials', mountPath: '/var/run/dapr/credentials' },
            { name: 'config', mountPath: '/var/run/dapr/config', readOnly: true },
          ],
        },
      ],
      volumes: [
        { name: 'credentials', hostPath: { path: opts.credentialsDir, type: 'Directory' } },
        { name: 'config', hostPath: { path: opts.configDir, type: 'Directory' } },
      ],
    },
  };
}

/**
 * Sentry's own Configuration (`daprsystem` on Kubernetes): the certificate lifetime and clock skew
 * the chart's Configurations repeat; the trust domain of the control plane.
 * @param {{ workloadCertTTL?: string, allowedClockSkew?: string }} mtls
 */
export function sentryConfiguration(mtls) {
  return {
    apiVersion: 'dapr.io/v1alpha1',
    kind: 'Configuration',
    metadata: { name: 'daprsystem', namespace: SENTRY.namespace },
    spec: { mtls: { enabled: true, workloadCertTTL: mtls.workloadCertTTL ?? '24h', allowedClockSkew: mtls.allowedClockSkew ?? '15m', controlPlaneTrustDomain: SENTRY.trustDomain } },
  };
}
