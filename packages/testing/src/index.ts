export { createTestDatabase } from './test-database.js';
export { startMailbox, startFakePushService, FAKE_PUSH_HOSTNAME, type PushRequest } from './mail-and-push.js';
export { openSocket, refusedUpgrade, UpgradeRejected, type Received, type SocketOptions, type TestSocket } from './ws-client.js';
export { browserSafetyProblems } from './browser-safety.js';
export { eventually } from './eventually.js';
