import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.js';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
};

describe('loadConfig: client address and sign-in limits', () => {
  it('trusts no proxy and allows 5 failed sign-ins per account per 15 minutes by default', () => {
    expect(loadConfig({})).toMatchObject({ TRUST_PROXY: false, SIGN_IN_ACCOUNT_LIMIT: 5, SIGN_IN_ACCOUNT_WINDOW_SECONDS: 900 });
  });

  it('reads TRUST_PROXY as Fastify takes it: a boolean or a list of addresses and ranges', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.0.2.1,fd00::/8, loopback' }).TRUST_PROXY).toEqual(['10.0.0.0/8', '192.0.2.1', 'fd00::/8', 'loopback']);
  });

  it('refuses a TRUST_PROXY that is none of those, or a hop count (which Fastify 5 would silently ignore), naming the variable and the bad entry', () => {
    for (const [value, named] of [['yes', 'yes'], ['10.0.0.0/8,ingress', 'ingress'], ['1', 'hop count'], ['10.0.0.300', '10.0.0.300']] as const) {
      const problems = problemsOf({ TRUST_PROXY: value });
      expect(problems, value).toHaveLength(1);
      expect(problems[0]?.variable).toBe('TRUST_PROXY');
      expect(problems[0]?.message).toContain(named);
    }
    expect(problemsOf({ SIGN_IN_ACCOUNT_LIMIT: '0', SIGN_IN_ACCOUNT_WINDOW_SECONDS: 'soon' }).map((p) => p.variable)).toEqual(['SIGN_IN_ACCOUNT_LIMIT', 'SIGN_IN_ACCOUNT_WINDOW_SECONDS']);
  });
});
