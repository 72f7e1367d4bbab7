import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What keeps the non-test sources of `dir` from running in a browser bundle: an import that does
 * not match `allowed`, or a Node global (process, Buffer, require). Returns how many files were
 * read (so a test can tell an empty folder from a clean one) and each problem as "file: what".
 */
export function browserSafetyProblems(dir: string, allowed: RegExp): { files: number; problems: string[] } {
  const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  const problems: string[] = [];
  for (const file of sources) {
    const source = readFileSync(join(dir, file), 'utf8');
    for (const [, spec] of source.matchAll(/from\s+'([^']+)'/g)) if (!allowed.test(spec ?? '')) problems.push(`${file}: imports ${spec}`);
    for (const [global] of source.matchAll(/\bprocess\.|\bBuffer\b|require\(/g)) problems.push(`${file}: uses ${global}`);
  }
  return { files: sources.length, problems };
}
