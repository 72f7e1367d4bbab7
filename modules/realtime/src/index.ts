export { RealtimeHub, type RealtimeHubOptions, type RealtimeStats, type ConnectionCredential, type Slot } from './realtime-hub.js';
export { ResumeBuffer, resumeKey, type ResumeBufferOptions, type BufferedMessage, type AppendResult } from './resume-buffer.js';
export { pushToClients, PUSH_TO_CLIENTS, realtimeConsumerName } from './push-to-clients.js';
export { RealtimeMessage, PUSHED_TYPES, type PushedType, type ControlMessage } from './realtime-message.js';
export { CLOSE_CODES, type ClientSocket } from './client-socket.js';
