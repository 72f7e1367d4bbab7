#!/usr/bin/env node
// npm run deploy:local — the chart's pods with their Dapr sidecars, in podman, on this machine
// (what `npm run test:deploy` tests). See scripts/deploy/local/README.md.
//   node scripts/deploy/local/deploy-local.mjs up [--reuse-images]   build the images (--reuse-images: keep an existing project image), start everything, print the addresses
//   node scripts/deploy/local/deploy-local.mjs down [--keep-images]  remove pods, network, secrets, images; stop PostgreSQL and Kafka
//   node scripts/deploy/local/deploy-local.mjs status                what runs (podman pod ps) and the addresses
//   node scripts/deploy/local/deploy-local.mjs logs                  every container's log into .taskstream/deploy/logs/
import { existsSync, readFileSync } from 'node:fs';
import { CONTAINERS_CONF, podman } from './podman.mjs';
import { STACK_FILE, down, saveAllLogs, up } from './stack.mjs';

const [command = 'up', ...flags] = process.argv.slice(2);
const keepImages = flags.includes('--keep-images');

if (command === 'up') {
  const stack = await up({ reuseImages: flags.includes('--reuse-images') });
  console.log(`\nTaskstream runs in podman pods (CONTAINERS_CONF=${CONTAINERS_CONF}):`);
  console.log(`  web UI and API   ${stack.api}/   (docs: ${stack.api}/docs)`);
  console.log(`  WebSocket        ${stack.realtime.replace('http', 'ws')}/ws`);
  console.log(`  PostgreSQL       ${stack.databaseUrl}`);
  console.log(`  image            ${stack.images.app.name}: ${(stack.images.app.bytes / 1e6).toFixed(0)} MB; ${stack.images.dapr.name}: ${(stack.images.dapr.bytes / 1e6).toFixed(0)} MB`);
  console.log(`  pods             CONTAINERS_CONF=${CONTAINERS_CONF} podman pod ps`);
  console.log(`Stop: npm run deploy:local -- down`);
} else if (command === 'down') {
  const problems = await down({ keepImages });
  process.exit(problems.length ? 1 : 0);
} else if (command === 'logs') {
  await saveAllLogs();
  console.log('saved to .taskstream/deploy/logs/');
} else if (command === 'status') {
  const { stdout } = await podman(['pod', 'ps', '--filter', 'label=taskstream.dev/run=deploy-local'], { allowFailure: true });
  console.log(stdout.trim() || 'no pods');
  if (existsSync(STACK_FILE)) console.log(readFileSync(STACK_FILE, 'utf8'));
} else {
  console.error('usage: node scripts/deploy/local/deploy-local.mjs up [--reuse-images] | down [--keep-images] | status | logs');
  process.exit(2);
}
