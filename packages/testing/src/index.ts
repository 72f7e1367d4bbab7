export { createTestDatabase } from './test-database.js';
export { startMailbox, startFakePushService, type PushRequest } from './mail-and-push.js';
