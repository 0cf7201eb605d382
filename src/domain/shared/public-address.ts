// Which addresses the store may call when someone else chose the URL (a webhook endpoint, a
// picture named in an import). The store makes these requests from inside its own network, so
// a URL pointing at loopback, a private range or the cloud metadata address would let whoever
// wrote it probe or call internal services (server-side request forgery). The host name is
// resolved and every address it resolves to is checked; callers check again right before
// each request (DNS can change in between). A switch per feature lifts the rule for
// development and tests.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64 of IPv4 addresses
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** Loopback, private, link-local, multicast or reserved: not somewhere a public service lives. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true;
  // An IPv4 address written as IPv6 (::ffff:127.0.0.1) is checked as the IPv4 address it is.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? blocked.check(mapped[1]!, 'ipv4') : blocked.check(address, 'ipv6');
}

export type Resolver = (host: string) => Promise<string[]>;
const dnsResolver: Resolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Why this URL's host may not be called (it resolves to a private address, or not at all);
 * undefined when every address it resolves to is public, or private ones are allowed.
 * `rule` ends the refusal, e.g. "webhooks go only to public addresses (set … to allow them)".
 */
export async function privateHostRefusal(raw: string, opts: { allowPrivate: boolean; resolve?: Resolver; rule: string }): Promise<string | undefined> {
  const host = new URL(raw).hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await (opts.resolve ?? dnsResolver)(host);
  } catch {
    return `${host} cannot be found (DNS lookup failed).`;
  }
  if (addresses.length === 0) return `${host} cannot be found (DNS lookup failed).`;
  if (opts.allowPrivate) return undefined;
  const inside = addresses.find(isPrivateAddress);
  return inside ? `${host} resolves to ${inside}, a loopback or private network address: ${opts.rule}.` : undefined;
}
