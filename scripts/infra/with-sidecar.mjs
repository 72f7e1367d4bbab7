// Runs a command as a Dapr app: starts its daprd sidecar (against deploy/dapr/local and the
// infrastructure from `npm run infra:up`), then the command with DAPR_HTTP_PORT set, and stops
// both when either ends or on Ctrl-C.
//
//   node scripts/infra/with-sidecar.mjs --app-id api --app-port 8080 [--dapr-http-port 3500] [--dapr-grpc-port 50001] -- npm start
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { startDaprd } from './dapr/daprd.mjs';

function parse(argv) {
  const split = argv.indexOf('--');
  if (split < 0 || split === argv.length - 1) throw new Error('usage: with-sidecar.mjs --app-id ID --app-port PORT [--dapr-http-port N] [--dapr-grpc-port N] -- COMMAND...');
  const opts = { appId: undefined, appPort: undefined, daprHttpPort: 3500, daprGrpcPort: 50001 };
  const flags = argv.slice(0, split);
  for (let i = 0; i < flags.length; i += 2) {
    const [flag, value] = [flags[i], flags[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--app-id') opts.appId = value;
    else if (flag === '--app-port') opts.appPort = Number(value);
    else if (flag === '--dapr-http-port') opts.daprHttpPort = Number(value);
    else if (flag === '--dapr-grpc-port') opts.daprGrpcPort = Number(value);
    else throw new Error(`unknown option ${flag}`);
  }
  if (!opts.appId || !Number.isInteger(opts.appPort)) throw new Error('--app-id and --app-port are required');
  return { opts, command: argv.slice(split + 1) };
}

const { opts, command } = parse(process.argv.slice(2));
// The app and its sidecar share the app API token (the app's sidecar routes accept nothing else): APP_API_TOKEN, or a fresh one.
const appApiToken = process.env.APP_API_TOKEN || randomBytes(24).toString('hex');
const sidecar = await startDaprd({ ...opts, appApiToken });
const child = spawn(command[0], command.slice(1), {
  stdio: 'inherit',
  env: { ...process.env, DAPR_HTTP_PORT: String(opts.daprHttpPort), DAPR_GRPC_PORT: String(opts.daprGrpcPort), PORT: String(opts.appPort), APP_API_TOKEN: appApiToken },
});
let stopping = false;
const stop = async (code) => {
  if (stopping) return;
  stopping = true;
  if (child.exitCode === null) child.kill('SIGTERM');
  await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve()));
  await sidecar.stop();
  process.exit(code);
};
child.once('exit', (code) => void stop(code ?? 1));
process.on('SIGINT', () => void stop(130));
process.on('SIGTERM', () => void stop(143));
