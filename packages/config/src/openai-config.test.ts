import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.js';

describe('loadConfig: chat model settings', () => {
  it('leaves the model unset by default (the chat uses its deterministic interpreter)', () => {
    const c = loadConfig({});
    expect([c.OPENAI_BASE_URL, c.OPENAI_API_KEY, c.OPENAI_MODEL]).toEqual([undefined, undefined, undefined]);
  });

  it('reads base URL, key and model', () => {
    const c = loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', OPENAI_MODEL: 'llama3.1', OPENAI_API_KEY: 'k' });
    expect(c).toMatchObject({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', OPENAI_MODEL: 'llama3.1', OPENAI_API_KEY: 'k' });
  });

  it('rejects half a configuration and a bad URL, naming the variable', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (e) {
        if (e instanceof ConfigError) return e.problems.map((p) => p.variable);
      }
      return [];
    };
    expect(problems({ OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' })).toEqual(['OPENAI_MODEL']);
    expect(problems({ OPENAI_MODEL: 'gpt-4o-mini' })).toEqual(['OPENAI_BASE_URL']);
    expect(problems({ OPENAI_BASE_URL: 'not a url', OPENAI_MODEL: 'm' })).toEqual(['OPENAI_BASE_URL']);
  });
});
