import { vi } from 'vitest';

export interface StubbedRequest {
  method: string;
  url: URL;
  body: unknown;
}

/**
 * Replaces fetch with `answer` (method, URL and JSON body in; a JSON value out, 200) and returns
 * the requests made; undo with vi.unstubAllGlobals().
 */
export function stubFetch(answer: (req: StubbedRequest) => unknown): StubbedRequest[] {
  const requests: StubbedRequest[] = [];
  vi.stubGlobal('fetch', async (path: string, init: RequestInit = {}) => {
    const req = { method: init.method ?? 'GET', url: new URL(path, 'http://localhost'), body: typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined };
    requests.push(req);
    const text = JSON.stringify(answer(req));
    return { ok: true, status: 200, text: async () => text } as Response;
  });
  return requests;
}
