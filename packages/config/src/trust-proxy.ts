import { z } from 'zod';

/** Addresses, CIDR ranges and the named ranges proxy-addr (behind Fastify's trustProxy) understands. */
const proxyAddress = z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6(), z.enum(['loopback', 'linklocal', 'uniquelocal'])]);

const HINT = 'must be true, false or a comma list of proxy addresses / CIDR ranges (loopback, linklocal, uniquelocal name the private ranges)';

/**
 * Whose X-Forwarded-For to believe for the client's address, in the shapes Fastify's `trustProxy`
 * takes: false (the socket's address), true (the left-most forwarded address, which any client
 * that reaches us directly can forge) or the proxies' addresses (the right-most address not among
 * them). A hop count is refused: Fastify 5 trusts nothing for one, since it cannot tell a proxy
 * from a client. Anything else stops start-up: a typo here would rate-limit every user as one.
 */
export const trustProxy = z.string().transform((value, ctx): boolean | string[] => {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) {
    ctx.addIssue({ code: 'custom', message: `${HINT}; a hop count (${value}) is not supported, name the proxies' addresses instead` });
    return z.NEVER;
  }
  const entries = value.split(',').map((x) => x.trim()).filter(Boolean);
  const bad = entries.filter((e) => !proxyAddress.safeParse(e).success);
  if (entries.length === 0 || bad.length > 0) {
    ctx.addIssue({ code: 'custom', message: `${HINT}; not ${bad.map((b) => JSON.stringify(b)).join(', ') || JSON.stringify(value)}` });
    return z.NEVER;
  }
  return entries;
});
