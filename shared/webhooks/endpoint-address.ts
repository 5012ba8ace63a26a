import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { type EndpointMode, endpointModes } from '../domain/webhook-endpoint.js';

/**
 * Where a webhook may be sent (issue 9). In AWS: https on a public address only; no private,
 * loopback, link-local, carrier-grade NAT, unique-local or metadata address, checked when the
 * endpoint is registered and again at every delivery against DNS rebinding: the delivery
 * connects to the address that was checked, never to a second lookup. Locally (`local` mode)
 * the loopback host is allowed, over http or https and in any spelling the URL parser reads as
 * it (`127.0.0.1`, `localhost`, `[::1]`, `127.1`...), so tests run a real receiver.
 */
// Declared with the endpoint (shared/config reads the mode and may import only the domain).
export { type EndpointMode, endpointModes };

// Two lists: Node checks an IPv4 address against IPv6 rules too (as ::ffff:a.b.c.d), so one list
// holding ::ffff:0:0/96 would refuse every IPv4 address.
const blocked4 = new BlockList();
const blocked6 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, with the instance metadata service 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24], // documentation (TEST-NET-1, -2, -3)
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked4.addSubnet(net, prefix, 'ipv4');
}
// IPv6 is an allow-list: global unicast (2000::/3) only. Everything outside it goes with it:
// IPv4-compatible (::a.b.c.d, so [::7f00:1]) and IPv4-mapped, NAT64 (64:ff9b::/96, 64:ff9b:1::/48),
// site-local (fec0::/10), unique-local (fc00::/7, with the EC2 metadata address fd00:ec2::254),
// link-local and multicast. Inside it, the prefixes that tunnel to an IPv4 address a receiver
// could choose (6to4 2002::/16, Teredo in 2001::/23 with the other IETF protocol assignments)
// and the documentation ones.
const global6 = new BlockList();
global6.addSubnet('2000::', 3, 'ipv6');
for (const [net, prefix] of [
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['3fff::', 20],
] as const) {
  blocked6.addSubnet(net, prefix, 'ipv6');
}

/** In AWS a receiver listens on https's own port or its usual alternative: no scan of other ports. */
const AWS_PORTS = ['', '443', '8443'];

export class EndpointAddressError extends Error {
  override readonly name = 'EndpointAddressError';
}

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !blocked4.check(address, 'ipv4');
  return family === 6 && global6.check(address, 'ipv6') && !blocked6.check(address, 'ipv6');
}

const LOCAL_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/** The URL's shape: refused before any lookup. Answers the parsed URL. */
export function checkEndpointUrl(raw: string, mode: EndpointMode): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new EndpointAddressError('not a URL');
  }
  if (url.username || url.password) throw new EndpointAddressError('a URL must not carry credentials');
  const local = mode === 'local' && LOCAL_HOSTS.includes(url.hostname);
  if (url.protocol !== 'https:' && !(local && url.protocol === 'http:')) {
    throw new EndpointAddressError('the URL must be https');
  }
  // Brackets off an IPv6 literal, and the root dot off a name (`localhost.` is `localhost`).
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.+$/, '');
  if (!local && isIP(host) && !isPublicAddress(host)) {
    throw new EndpointAddressError('the URL points at a private, loopback, link-local or metadata address');
  }
  if (!local && /(^|\.)(localhost|internal|local)$/i.test(host)) {
    throw new EndpointAddressError('the URL points at a local host name');
  }
  if (!local && !AWS_PORTS.includes(url.port)) {
    throw new EndpointAddressError('the URL must use port 443 or 8443');
  }
  return url;
}

export type Resolve = (host: string) => Promise<readonly string[]>;

export const resolveWithDns: Resolve = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * The address a delivery connects to: every address the name resolves to must be public (a name
 * with one private answer is refused whole), and the first is pinned for the connection.
 */
export async function deliveryAddress(
  url: URL,
  mode: EndpointMode,
  resolve: Resolve = resolveWithDns,
): Promise<string> {
  // Brackets off an IPv6 literal, and the root dot off a name (`localhost.` is `localhost`).
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.+$/, '');
  if (mode === 'local' && LOCAL_HOSTS.includes(url.hostname))
    return host === 'localhost' ? '127.0.0.1' : host;
  const addresses = isIP(host) ? [host] : await resolve(host);
  if (addresses.length === 0) throw new EndpointAddressError('the host name does not resolve');
  if (!addresses.every(isPublicAddress)) {
    throw new EndpointAddressError(
      'the host name resolves to a private, loopback, link-local or metadata address',
    );
  }
  return addresses[0] as string;
}
