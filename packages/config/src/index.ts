export { loadConfig, loadTracingConfig, ConfigError, ROLES, type Config, type Role, type TracingConfig } from './load-config.js';
