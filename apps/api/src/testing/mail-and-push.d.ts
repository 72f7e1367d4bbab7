import { type ECDH } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { type ParsedMail } from 'mailparser';
/** A real SMTP server (smtp-server) on loopback that keeps every message it accepts, parsed. */
export declare function startMailbox(): Promise<{
    url: string;
    messages: ParsedMail[];
    close(): Promise<void>;
}>;
export interface PushRequest {
    path: string;
    headers: IncomingHttpHeaders;
    body: Buffer;
}
/**
 * A stand-in for a browser vendor's push service (a third-party web service we cannot reach
 * here): it records what arrives and answers 201, or 410 for endpoints under /gone/. The
 * subscription keys are made here like a browser makes them, so the test can decrypt the payload.
 */
export declare function startFakePushService(): Promise<{
    /** The service's self-signed certificate, for the sender to trust. */
    ca: string;
    requests: PushRequest[];
    subscription(path: string): {
        endpoint: string;
        keys: {
            p256dh: string;
            auth: string;
        };
        receiver: ECDH;
        authSecret: string;
    };
    close(): Promise<void>;
}>;
//# sourceMappingURL=mail-and-push.d.ts.map