import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';

// Node's HTTP parser rejects these before Fastify sees them, so they need a real socket, not inject.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ listen: true });
});
afterAll(() => t.close());

/** Writes raw bytes to the listening app and returns everything it answers before closing. */
function rawExchange(request: string): Promise<string> {
  const { port } = new URL(t.url!);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: Number(port) }, () => socket.write(request));
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
  });
}

function problemOf(answer: string) {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  expect(head).toMatch(/^content-type: application\/problem\+json$/im);
  return JSON.parse(body) as Record<string, unknown>;
}

describe('requests the HTTP parser rejects', () => {
  it('answers headers over 16 KiB with a 431 problem+json that says what to shorten', async () => {
    const answer = await rawExchange(`GET /api/tasks?q=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(problemOf(answer)).toMatchObject({ status: 431, code: 'headers_too_large', title: 'Request Header Fields Too Large', detail: expect.stringMatching(/16 KiB/) });
  });

  it('answers a request line that is not HTTP with a 400 problem+json', async () => {
    const answer = await rawExchange('HELLO THERE\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(problemOf(answer)).toMatchObject({ status: 400, code: 'malformed_request' });
  });
});
