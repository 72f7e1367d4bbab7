import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadTracingConfig } from './load-config.js';

describe('loadTracingConfig', () => {
  it('is off without an OTLP endpoint (npm start and npm test trace nothing)', () => {
    expect(loadTracingConfig('api', {})).toBeNull();
    expect(loadTracingConfig('api', { OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toBeNull();
  });

  it('sends to <endpoint>/v1/traces, or to the traces endpoint as given', () => {
    expect(loadTracingConfig('api', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })?.tracesUrl).toBe('http://collector:4318/v1/traces');
    expect(
      loadTracingConfig('api', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:4318/custom' })?.tracesUrl,
    ).toBe('http://traces:4318/custom');
  });

  it('names the service after the role, the roles of an embedded process, or OTEL_SERVICE_NAME', () => {
    const on = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(loadTracingConfig('audit', on)?.serviceName).toBe('taskstream-audit');
    expect(loadTracingConfig('embedded', on)?.serviceName).toBe('taskstream');
    expect(loadTracingConfig('embedded', { ...on, SERVICES: 'api,audit' })?.serviceName).toBe('taskstream-api-audit');
    expect(loadTracingConfig('audit', { ...on, OTEL_SERVICE_NAME: 'audit-eu' })?.serviceName).toBe('audit-eu');
  });

  it('refuses an endpoint that is not an http(s) URL, in both readers', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317' };
    expect(() => loadTracingConfig('api', env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT: must be an http/);
  });
});
