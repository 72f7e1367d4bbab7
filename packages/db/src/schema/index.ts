export * from './auth.js';
export * from './tasks.js';
export * from './outbox.js';
export * from './state.js';
