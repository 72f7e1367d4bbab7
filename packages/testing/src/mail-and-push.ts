import { createECDH, randomBytes, type ECDH } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { generate } from 'selfsigned';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server (smtp-server) on loopback that keeps every message it accepts, parsed. */
export async function startMailbox(): Promise<{ url: string; messages: ParsedMail[]; close(): Promise<void> }> {
  const messages: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        messages.push(mail);
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, messages, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface PushRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The sender closed the connection before an answer (it gave up: a timeout). */
  abandoned: boolean;
}

/** A name the stand-in's certificate also holds, for tests that resolve it with a fake DNS. */
export const FAKE_PUSH_HOSTNAME = 'push.taskstream.test';

/**
 * A stand-in for a browser vendor's push service (a third-party web service we cannot reach
 * here): it records what arrives and answers 201; 410 for endpoints under /gone/, 500 under
 * /fail/, and never under /hang/ (until closed). The
 * subscription keys are made here like a browser makes them, so the test can decrypt the payload.
 */
export async function startFakePushService(): Promise<{
  /** The service's self-signed certificate, for the sender to trust. */
  ca: string;
  port: number;
  requests: PushRequest[];
  subscription(path: string): { endpoint: string; keys: { p256dh: string; auth: string }; receiver: ECDH; authSecret: string };
  close(): Promise<void>;
}> {
  const requests: PushRequest[] = [];
  const altNames = [{ type: 7 as const, ip: '127.0.0.1' }, { type: 2 as const, value: FAKE_PUSH_HOSTNAME }];
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keySize: 2048, extensions: [{ name: 'subjectAltName', altNames }] });
  const server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request: PushRequest = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks), abandoned: false };
      requests.push(request);
      res.on('close', () => (request.abandoned = !res.writableFinished));
      const path = req.url ?? '';
      if (path.startsWith('/hang/')) return;
      res.writeHead(path.startsWith('/gone/') ? 410 : path.startsWith('/fail/') ? 500 : 201).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ca: pems.cert,
    port,
    requests,
    subscription(path) {
      const receiver = createECDH('prime256v1');
      receiver.generateKeys();
      const authSecret = randomBytes(16).toString('base64url');
      return { endpoint: `https://127.0.0.1:${port}${path}`, keys: { p256dh: receiver.getPublicKey().toString('base64url'), auth: authSecret }, receiver, authSecret };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
