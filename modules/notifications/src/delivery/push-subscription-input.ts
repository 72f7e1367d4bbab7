import { ECDH } from 'node:crypto';
import { z } from 'zod';

const base64url = z.string().regex(/^[A-Za-z0-9_-]+={0,2}$/, 'must be base64url');

/** An uncompressed P-256 point (0x04, x, y: 65 bytes) that lies on the curve: what RFC 8291 encrypts to. */
function isP256PublicKey(value: string): boolean {
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.length !== 65 || bytes[0] !== 0x04) return false;
  try {
    // OpenSSL refuses a point that is not on the curve.
    ECDH.convertKey(bytes, 'prime256v1');
    return true;
  } catch {
    return false;
  }
}

export const PushSubscriptionInput = z.strictObject({
  endpoint: z.url({ protocol: /^https$/, error: 'must be the https:// URL of a push service' }).max(2000).describe("the push service URL from the browser's PushSubscription"),
  keys: z.strictObject({
    p256dh: base64url.max(200).refine(isP256PublicKey, 'must be the browser\'s P-256 public key: 65 bytes (0x04, x, y) on the curve, base64url'),
    auth: base64url.max(100).refine((v) => Buffer.from(v, 'base64url').length === 16, 'must be the 16-byte auth secret, base64url'),
  }),
  expirationTime: z.number().nullable().optional(),
});
export type PushSubscriptionInput = z.infer<typeof PushSubscriptionInput>;
