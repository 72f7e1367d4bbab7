export { loadConfig, ConfigError, type Config } from './load-config.js';
