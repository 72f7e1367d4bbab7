import type { FastifyRequest } from 'fastify';
import { HttpProblem, problem } from './problem.js';

/** Postgres cannot store U+0000 in text; refuse it up front instead of failing inside SQL. */
export async function rejectNulCharacters(request: FastifyRequest): Promise<void> {
  for (const [where, value] of [['body', request.body], ['query', request.query]] as const) {
    const path = findNul(value, where, 0);
    if (path) {
      throw new HttpProblem(problem(400, 'invalid_text', `${path} contains a NUL (\\u0000) character, which cannot be stored.`, [{ path, message: 'must not contain NUL characters' }]));
    }
  }
}

function findNul(value: unknown, path: string, depth: number): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (depth > 20 || !value || typeof value !== 'object') return undefined;
  for (const [k, v] of Object.entries(value)) {
    if (k.includes('\u0000')) return `${path}.${k.replaceAll('\u0000', '\\u0000')}`;
    const found = findNul(v, `${path}.${k}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}
