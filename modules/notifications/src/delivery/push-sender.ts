import webpush from 'web-push';
import { UndeliverableError, type PushPayload } from './payloads.js';
import { pinnedAgent } from './pinned-agent.js';
import { checkPushHost, type PushHostPolicy } from './push-host-guard.js';

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
  /**
   * Resolves when the push service accepted it; 'gone' when the subscription no longer exists.
   * Throws PushHostRefused when the endpoint's host now resolves to an address we must not call.
   */
  send(target: PushTarget, payload: PushPayload): Promise<'sent' | 'gone'>;
}

export interface PushSenderOptions {
  /** Which hosts may be called (tests allow their local push service). */
  hosts?: PushHostPolicy;
  /** Extra CA to trust (the self-signed local push service in tests). */
  ca?: string | undefined;
  /** Longest a push may take from connecting to the last byte of the answer; must stay below the delivery lease. */
  deadlineMs?: number;
}

/** Web Push (RFC 8030) with VAPID (RFC 8292) and an encrypted payload (RFC 8291), via web-push. */
export function webPushSender(vapid: VapidKeys, options: PushSenderOptions = {}): PushSender {
  const deadlineMs = options.deadlineMs ?? 20_000;
  return {
    async send(target, payload) {
      // Checked again at every send: the name may resolve elsewhere than when it was subscribed.
      const agent = pinnedAgent(await checkPushHost(target.endpoint, options.hosts), { ca: options.ca });
      // web-push's timeout is per idle socket; a service that answers a byte at a time is cut here.
      const deadline = setTimeout(() => agent.destroy(), deadlineMs);
      try {
        await webpush.sendNotification(target, JSON.stringify(payload), {
          vapidDetails: { subject: vapid.subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
          TTL: 24 * 3600,
          urgency: 'high',
          topic: payload.tag.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32),
          timeout: 10_000,
          agent,
        });
        return 'sent';
      } catch (err) {
        const status = (err as { statusCode?: number }).statusCode;
        if (status === 404 || status === 410) return 'gone';
        if (status === 400 || status === 413) throw new UndeliverableError(`push service refused the message: ${status}`);
        throw err;
      } finally {
        clearTimeout(deadline);
        agent.destroy();
      }
    },
  };
}
