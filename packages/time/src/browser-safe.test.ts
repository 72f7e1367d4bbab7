import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { browserSafetyProblems } from '@taskstream/testing';

describe('@taskstream/time stays browser-safe (the web app bundles it)', () => {
  it('imports only luxon and its own files, and no Node globals', () => {
    const { files, problems } = browserSafetyProblems(fileURLToPath(new URL('.', import.meta.url)), /^(\.\/|luxon$)/);
    expect(files).toBeGreaterThan(2);
    expect(problems).toEqual([]);
  });
});
