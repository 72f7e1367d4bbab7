// Runs Taskstream distributed on this machine: every service as its own process (apps/<service>)
// behind its own daprd sidecar, events over Kafka through Dapr pub/sub, one PostgreSQL database —
// the shape of the Kubernetes deployment, as plain processes. Needs `npm run infra:up` first.
//
//   node scripts/infra/distributed.mjs            (npm run start:distributed)
//
// The API listens on :8080 (PORT); the other services on 8081…; Ctrl-C stops them all.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startDaprd } from './dapr/daprd.mjs';
import { REPO_ROOT, runCommand, say, STATE_DIR, step, waitFor } from './lib.mjs';
import { portOpen, PORTS } from './ports.mjs';

const SERVICES = ['api', 'recurrence', 'audit', 'notifications', 'realtime'];
const basePort = Number(process.env.PORT ?? 8080);
const databaseUrl = process.env.DATABASE_URL ?? `postgres://postgres@127.0.0.1:${PORTS.postgres}/taskstream`;

for (const [part, port] of [['PostgreSQL', PORTS.postgres], ['Kafka', PORTS.kafkaBroker], ['the Dapr scheduler', PORTS.schedulerGrpc]]) {
  if (!(await portOpen(port))) {
    console.error(`[distributed] ${part} is not running on 127.0.0.1:${port}: start the infrastructure with \`npm run infra:up\` first.`);
    process.exit(2);
  }
}

await step('build', 'compiling the services (tsc -b)', () => runCommand('npx', ['tsc', '-b'], { cwd: REPO_ROOT }));
// The API serves the web UI at PUBLIC_URL, as with npm start.
await step('build', 'the web UI, if its sources changed', () => runCommand(process.execPath, ['scripts/build-web-if-stale.mjs'], { cwd: REPO_ROOT }));
const dataDir = join(STATE_DIR, 'distributed');
mkdirSync(dataDir, { recursive: true });
// One token between every service and its sidecar: the routes only a sidecar calls accept nothing else.
const appApiToken = process.env.APP_API_TOKEN ?? randomBytes(24).toString('hex');
const common = {
  DATABASE_URL: databaseUrl,
  EVENT_BUS: 'dapr',
  DATA_DIR: dataDir,
  APP_API_TOKEN: appApiToken,
  PUBLIC_URL: process.env.PUBLIC_URL ?? `http://localhost:${basePort}`,
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
};

const started = [];
let stopping = false;
async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const s of started.reverse()) {
    if (s.child.exitCode === null) s.child.kill('SIGTERM');
    await new Promise((resolve) => (s.child.exitCode === null ? s.child.once('exit', resolve) : resolve()));
    await s.sidecar.stop();
  }
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(130));
process.on('SIGTERM', () => void stopAll(143));

// The API first: it migrates the database; the others find it done.
for (const [i, service] of SERVICES.entries()) {
  const port = basePort + i;
  const daprHttpPort = 3500 + i * 10;
  const sidecar = await startDaprd({ appId: service, appPort: port, daprHttpPort, daprGrpcPort: 50001 + i * 10, appApiToken });
  const child = spawn(process.execPath, [join('apps', service, 'dist', 'main.js')], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...common, PORT: String(port), HOST: '127.0.0.1', DAPR_HTTP_PORT: String(daprHttpPort) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  started.push({ service, child, sidecar, port });
  child.once('exit', (code) => {
    if (!stopping) {
      say('distributed', `${service} exited with ${code}; stopping the others`);
      void stopAll(1);
    }
  });
  await waitFor(() => fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false), {
    timeoutMs: 120_000,
    what: `${service} /readyz on :${port}`,
    alive: () => child.exitCode === null,
  });
  say('distributed', `${service} ready on http://127.0.0.1:${port} (sidecar :${daprHttpPort})`);
}
console.log(`\n  Taskstream, distributed: ${SERVICES.map((s, i) => `${s} :${basePort + i}`).join(', ')}\n  Open ${common.PUBLIC_URL} — Ctrl-C stops every service and sidecar.\n`);
