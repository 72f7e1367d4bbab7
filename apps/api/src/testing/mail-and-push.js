import { createECDH, randomBytes } from 'node:crypto';
import { createServer } from 'node:https';
import { simpleParser } from 'mailparser';
import { generate } from 'selfsigned';
import { SMTPServer } from 'smtp-server';
/** A real SMTP server (smtp-server) on loopback that keeps every message it accepts, parsed. */
export async function startMailbox() {
    const messages = [];
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
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.server.address();
    return { url: `smtp://127.0.0.1:${port}`, messages, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
/**
 * A stand-in for a browser vendor's push service (a third-party web service we cannot reach
 * here): it records what arrives and answers 201, or 410 for endpoints under /gone/. The
 * subscription keys are made here like a browser makes them, so the test can decrypt the payload.
 */
export async function startFakePushService() {
    const requests = [];
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keySize: 2048, extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }] });
    const server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
        const chunks = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', () => {
            requests.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
            res.writeHead(req.url?.startsWith('/gone/') ? 410 : 201).end();
        });
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address();
    return {
        ca: pems.cert,
        requests,
        subscription(path) {
            const receiver = createECDH('prime256v1');
            receiver.generateKeys();
            const authSecret = randomBytes(16).toString('base64url');
            return { endpoint: `https://127.0.0.1:${port}${path}`, keys: { p256dh: receiver.getPublicKey().toString('base64url'), auth: authSecret }, receiver, authSecret };
        },
        close: () => new Promise((resolve) => server.close(() => resolve())),
    };
}
//# sourceMappingURL=mail-and-push.js.map