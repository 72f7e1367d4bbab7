export * from './quick-add/index.js';
