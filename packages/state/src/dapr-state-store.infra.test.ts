import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';
import { freePort } from '../../../scripts/infra/ports.mjs';
import { describe, it } from 'vitest';
import { describeStateStoreContract } from './contract/state-store-contract.js';
import { DaprStateStore } from './dapr-state-store.js';

/**
 * The StatePort contract through real daprd sidecars in front of the `statestore` component
 * (state.postgresql v1 on the infra PostgreSQL, database dapr_state). Two sidecars with one app
 * id stand for two replicas of a service sharing their state. Needs
 * `node scripts/infra/infra.mjs up --build-dapr`; without it the suite fails, it never skips.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const POSTGRES = { host: '127.0.0.1', port: 54329 };
const STORE = 'statestore';

interface RunningDaprd {
  httpUrl: string;
  stop(): Promise<void>;
}
type StartDaprd = (options: { appId: string; daprHttpPort: number; daprGrpcPort: number; componentsPath: string; configPath: null; readyTimeoutMs: number }) => Promise<RunningDaprd>;

const canConnect = (target: { host: string; port: number }) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(target);
    socket.setTimeout(2000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });


/** Fails (never skips) with what is missing and how to get it. */
async function requireInfrastructure(): Promise<StartDaprd> {
  const script = join(ROOT, 'scripts/infra/dapr/daprd.mjs');
  const up = 'start it with: node scripts/infra/infra.mjs up --build-dapr   (check: node scripts/infra/infra.mjs status)';
  if (!existsSync(script)) throw new Error(`Dapr sidecar unavailable: ${script} is missing`);
  if (!(await canConnect(POSTGRES))) throw new Error(`PostgreSQL is not reachable on ${POSTGRES.host}:${POSTGRES.port}; ${up}`);
  const mod = (await import(pathToFileURL(script).href)) as { startDaprd: StartDaprd };
  return mod.startDaprd;
}

/** Only the state store component: this suite needs neither Kafka nor the scheduler. */
function stateOnlyResources(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'taskstream-state-contract-'));
  copyFileSync(join(ROOT, 'deploy/dapr/local/statestore.yaml'), join(dir, 'statestore.yaml'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('Dapr state store prerequisites', () => {
  it('reaches PostgreSQL and the daprd launcher', async () => {
    await requireInfrastructure();
  });
});

describeStateStoreContract('dapr → state.postgresql', async () => {
  const startDaprd = await requireInfrastructure();
  const resources = stateOnlyResources();
  const appId = `state-contract-${randomUUID().slice(0, 8)}`;
  const sidecars: RunningDaprd[] = [];
  const sidecar = async () => {
    const daprHttpPort = await freePort();
    const running = await startDaprd({ appId, daprHttpPort, daprGrpcPort: await freePort(), componentsPath: resources.dir, configPath: null, readyTimeoutMs: 60_000 });
    sidecars.push(running);
    return new DaprStateStore({ daprHttpPort, storeName: STORE });
  };
  try {
    return {
      store: await sidecar(),
      another: sidecar,
      close: async () => {
        await Promise.allSettled(sidecars.map((s) => s.stop()));
        resources.remove();
      },
    };
  } catch (err) {
    await Promise.allSettled(sidecars.map((s) => s.stop()));
    resources.remove();
    throw err;
  }
});
