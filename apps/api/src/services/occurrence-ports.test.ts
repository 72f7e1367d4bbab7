import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError } from '@taskstream/bus';
import type { NextOccurrenceRequest } from '@taskstream/events';
import { daprOccurrencePort } from './occurrence-ports.js';

/**
 * A fake sidecar (a node:http server on the Dapr HTTP port) answers as daprd does when it forwards
 * the API's own answer; the real sidecar path runs in the infrastructure and deployment tiers.
 */
let server: Server;
let port = 0;
let answer = { status: 200, body: '{"outcome":"created"}' };
const seen: { url: string; method: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', method: req.method ?? '' });
    req.resume();
    req.on('end', () => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const request = (): NextOccurrenceRequest => ({
  userId: 'user-1',
  seriesId: randomUUID(),
  occurrenceIndex: 2,
  dueAt: '2026-03-29T07:00:00.000Z',
  template: { title: 'Water the plants', description: '', priority: 'medium', tags: [], reminderOffsets: [] },
});

function recordingLogger() {
  const errors: { fields: Record<string, unknown>; message: string }[] = [];
  return { errors, logger: { error: (fields: Record<string, unknown>, message: string) => void errors.push({ fields, message }) } as never };
}

describe('daprOccurrencePort (fake sidecar)', () => {
  it('invokes POST /internal/occurrences of the api app through the sidecar and returns its outcome', async () => {
    answer = { status: 200, body: '{"outcome":"exists"}' };
    const occurrences = daprOccurrencePort({ daprHttpPort: port, apiAppId: 'api' });
    await expect(occurrences.createNext(request())).resolves.toBe('exists');
    expect(seen.at(-1)).toEqual({ url: '/v1.0/invoke/api/method/internal/occurrences', method: 'POST' });
  });

  it("passes on 'stopped': the series' owner decided that nothing follows", async () => {
    answer = { status: 200, body: '{"outcome":"stopped"}' };
    await expect(daprOccurrencePort({ daprHttpPort: port, apiAppId: 'api' }).createNext(request())).resolves.toBe('stopped');
  });

  it('records the end of a series by POST /internal/series-ends of the api app, and refuses an answer it does not know', async () => {
    const occurrences = daprOccurrencePort({ daprHttpPort: port, apiAppId: 'api' });
    const end = { userId: 'user-1', seriesId: randomUUID(), occurrenceIndex: 4 };
    answer = { status: 200, body: '{"outcome":"ended"}' };
    await expect(occurrences.endSeries(end)).resolves.toBe('ended');
    expect(seen.at(-1)).toEqual({ url: '/v1.0/invoke/api/method/internal/series-ends', method: 'POST' });
    answer = { status: 200, body: '{"outcome":"created"}' };
    await expect(occurrences.endSeries(end)).rejects.toThrow(/unexpected answer/);
    answer = { status: 403, body: '{"code":"service_forbidden"}' };
    const error = await occurrences.endSeries(end).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toContain('/internal/series-ends');
  });

  it.each([401, 403])('a %i (the api and its sidecar do not share the app token) is a permanent error, logged at error level with what to fix', async (status) => {
    answer = { status, body: '{"code":"service_unauthenticated"}' };
    const { errors, logger } = recordingLogger();
    const req = request();
    const error = await daprOccurrencePort({ daprHttpPort: port, apiAppId: 'api', logger })
      .createNext(req)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toContain('APP_API_TOKEN');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.fields).toMatchObject({ status, apiAppId: 'api', seriesId: req.seriesId, occurrenceIndex: 2 });
    expect(errors[0]?.message).toContain('dapr.appTokenSecret');
  });

  it('a 503 (the api restarting) stays retryable and is not logged as a configuration error', async () => {
    answer = { status: 503, body: 'unavailable' };
    const { errors, logger } = recordingLogger();
    const error = await daprOccurrencePort({ daprHttpPort: port, apiAppId: 'api', logger })
      .createNext(request())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PermanentError);
    expect(errors).toHaveLength(0);
  });
});
