import type { LookupAddress } from 'node:dns';
import { Agent } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { CheckedHost } from './push-host-guard.js';

/**
 * An https Agent whose connections go only to addresses already checked: its `lookup` answers
 * from them instead of asking DNS again, so a name that resolved to a public address when checked
 * cannot resolve to 127.0.0.1 when connecting (DNS rebinding). TLS still verifies the certificate
 * against the host name. IP literals never reach `lookup`; they were checked as they are.
 */
export function pinnedAgent(host: CheckedHost, tls: { ca?: string | undefined } = {}): Agent {
  const lookup: LookupFunction = (_hostname, options, callback) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
    const matching: LookupAddress[] = family === 4 || family === 6 ? host.addresses.filter((a) => a.family === family) : host.addresses;
    const first = matching[0];
    if (!first) callback(Object.assign(new Error(`${host.hostname} has no checked IPv${family} address`), { code: 'ENOTFOUND' }), '', 0);
    else if (options.all) callback(null, matching);
    else callback(null, first.address, first.family);
  };
  return new Agent({ lookup, ...(tls.ca && { ca: tls.ca }) });
}
