import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { UndeliverableError } from './payloads.js';

/** Every address a host name resolves to. */
export type HostResolver = (hostname: string) => Promise<LookupAddress[]>;

const systemResolver: HostResolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

export interface PushHostPolicy {
  /**
   * Tests only: the local stand-in push service listens on 127.0.0.1. Set by test compositions,
   * never from configuration, so no deployment can turn the guard off.
   */
  allowPrivateHosts?: boolean | undefined;
  /** The system resolver unless given (tests give a fake DNS to show that the checked address is the one used). */
  resolve?: HostResolver | undefined;
}

/** A push endpoint's host and the checked addresses the request must connect to. */
export interface CheckedHost {
  hostname: string;
  addresses: LookupAddress[];
}

/** An endpoint whose host is, or resolves to, an address the server must not call. */
export class PushHostRefused extends UndeliverableError {
  constructor(message: string) {
    super(message);
    this.name = 'PushHostRefused';
  }
}

/** ipaddr.js range names in words, for messages people read. */
const RANGE_WORDS: Record<string, string> = {
  loopback: 'loopback',
  private: 'private (RFC 1918)',
  uniqueLocal: 'private (unique local, fc00::/7)',
  linkLocal: 'link-local',
  carrierGradeNat: 'carrier-grade NAT (100.64.0.0/10)',
  unspecified: 'unspecified',
  multicast: 'multicast',
  broadcast: 'broadcast',
};

/**
 * What kind of address this is in ipaddr.js's terms (loopback, private, linkLocal, uniqueLocal,
 * carrierGradeNat, multicast, unspecified, reserved, …); IPv4-mapped IPv6 is judged as the IPv4
 * address it carries, so ::ffff:127.0.0.1 is loopback.
 */
export function addressRange(address: string): string {
  return ipaddr.process(address).range();
}

const METADATA_ADDRESSES = new Set(['169.254.169.254', 'fd00:ec2::254']);

function refusal(hostname: string, address: string): string {
  const range = addressRange(address);
  const kind = `a ${RANGE_WORDS[range] ?? `${range} (not publicly routable)`} address${METADATA_ADDRESSES.has(address) ? ' (the cloud metadata service)' : ''}`;
  const where = address === hostname ? `the host ${hostname} is ${kind}` : `${hostname} resolves to ${address}, ${kind}`;
  return `${where}; a push endpoint must be on a public address of a push service`;
}

/**
 * Only globally routable unicast addresses pass. A push endpoint is a URL any user hands us; the
 * server must not become their way into its own loopback, the private network, link-local space
 * or the cloud metadata service (169.254.169.254, fd00:ec2::254 — link-local and unique-local).
 */
export const isPublicAddress = (address: string): boolean => addressRange(address) === 'unicast';

/**
 * Resolves the endpoint's host (every address, not only the first) and refuses it when any of
 * them is not public. The caller connects to these addresses only, so a second DNS answer
 * (rebinding) cannot swap in another.
 */
export async function checkPushHost(endpoint: string, policy: PushHostPolicy = {}): Promise<CheckedHost> {
  // WHATWG URL parsing already turns 2130706433, 0x7f.1 and friends into dotted IPv4.
  const hostname = new URL(endpoint).hostname.replace(/^\[|\]$/g, '');
  const addresses = ipaddr.isValid(hostname)
    ? [{ address: hostname, family: ipaddr.parse(hostname).kind() === 'ipv6' ? 6 : 4 }]
    : await (policy.resolve ?? systemResolver)(hostname);
  if (addresses.length === 0) throw Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' });
  const refused = policy.allowPrivateHosts ? undefined : addresses.find((a) => !isPublicAddress(a.address));
  if (refused) throw new PushHostRefused(refusal(hostname, refused.address));
  return { hostname, addresses };
}
