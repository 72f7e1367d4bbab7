import type { Agent } from 'node:https';
import webpush from 'web-push';
import { UndeliverableError, type PushPayload } from './payloads.js';

export interface PushTarget {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  subject: string;
}

export interface PushSender {
  /** Resolves when the push service accepted it; 'gone' when the subscription no longer exists. */
  send(target: PushTarget, payload: PushPayload): Promise<'sent' | 'gone'>;
}

/** Web Push (RFC 8030) with VAPID (RFC 8292) and an encrypted payload (RFC 8291), via web-push. */
export function webPushSender(vapid: VapidKeys, options: { agent?: Agent | undefined } = {}): PushSender {
  return {
    async send(target, payload) {
      try {
        await webpush.sendNotification(target, JSON.stringify(payload), {
          vapidDetails: { subject: vapid.subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
          TTL: 24 * 3600,
          urgency: 'high',
          topic: payload.tag.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32),
          timeout: 10_000,
          ...(options.agent && { agent: options.agent }),
        });
        return 'sent';
      } catch (err) {
        const status = (err as { statusCode?: number }).statusCode;
        if (status === 404 || status === 410) return 'gone';
        if (status === 400 || status === 413) throw new UndeliverableError(`push service refused the message: ${status}`);
        throw err;
      }
    },
  };
}
