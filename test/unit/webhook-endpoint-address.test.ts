import { describe, expect, it } from 'vitest';
import {
  checkEndpointUrl,
  deliveryAddress,
  EndpointAddressError,
  isPublicAddress,
} from '../../shared/webhooks/endpoint-address.js';

describe('webhook endpoint addresses', () => {
  it.each([
    ['http://example.com/hook', 'the URL must be https'],
    ['ftp://example.com/hook', 'the URL must be https'],
    ['https://10.1.2.3/hook', 'private'],
    ['https://192.168.0.7/hook', 'private'],
    ['https://172.20.0.1/hook', 'private'],
    ['https://127.0.0.1/hook', 'loopback'],
    ['https://[::1]/hook', 'loopback'],
    ['https://169.254.169.254/latest/meta-data', 'metadata'],
    ['https://169.254.10.1/hook', 'link-local'],
    ['https://[fe80::1]/hook', 'link-local'],
    ['https://[fd00:ec2::254]/hook', 'metadata'],
    ['https://[::ffff:10.0.0.1]/hook', 'private'],
    ['https://localhost/hook', 'local host name'],
    ['https://localhost./hook', 'local host name'],
    ['https://metadata.google.internal./hook', 'local host name'],
    ['https://user:pw@example.com/hook', 'credentials'],
    ['not a url', 'not a URL'],
  ])('refuses %s in AWS mode', (url, why) => {
    expect(() => checkEndpointUrl(url, 'aws')).toThrow(EndpointAddressError);
    expect(() => checkEndpointUrl(url, 'aws')).toThrow(
      why.match(/private|loopback|link-local|metadata/) ? /private, loopback, link-local or metadata/ : why,
    );
  });

  it('accepts a public https URL in AWS mode and http on loopback only in local mode', () => {
    expect(checkEndpointUrl('https://hooks.example.com/card-vault', 'aws').hostname).toBe(
      'hooks.example.com',
    );
    expect(checkEndpointUrl('http://127.0.0.1:4321/hook', 'local').port).toBe('4321');
    expect(() => checkEndpointUrl('http://127.0.0.1:4321/hook', 'aws')).toThrow(/https/);
    expect(() => checkEndpointUrl('http://example.com/hook', 'local')).toThrow(/https/);
  });

  it('classifies addresses', () => {
    expect(isPublicAddress('93.184.216.34')).toBe(true);
    expect(isPublicAddress('2606:4700::1111')).toBe(true);
    for (const a of ['0.0.0.0', '100.64.0.1', '224.0.0.1', '::', 'fc00::1', 'not-an-ip']) {
      expect(isPublicAddress(a)).toBe(false);
    }
  });

  it('re-checks at delivery: a name that now resolves to a private address is refused (DNS rebinding)', async () => {
    const url = checkEndpointUrl('https://hooks.example.com/x', 'aws');
    await expect(deliveryAddress(url, 'aws', async () => ['93.184.216.34'])).resolves.toBe('93.184.216.34');
    await expect(deliveryAddress(url, 'aws', async () => ['169.254.169.254'])).rejects.toThrow(
      EndpointAddressError,
    );
    await expect(deliveryAddress(url, 'aws', async () => ['93.184.216.34', '10.0.0.1'])).rejects.toThrow(
      EndpointAddressError,
    );
    await expect(deliveryAddress(url, 'aws', async () => [])).rejects.toThrow(/does not resolve/);
  });
});

/** Issue 20 item 6: only global unicast, no tunnels to an IPv4 address, ports 443 and 8443. */
describe('webhook endpoint addresses, tightened', () => {
  it.each([
    ['::7f00:1', 'IPv4-compatible loopback'],
    ['::a00:1', 'IPv4-compatible private'],
    ['::ffff:0:0', 'IPv4-mapped, the prefix itself'],
    ['::ffff:8.8.8.8', 'IPv4-mapped public'],
    ['2002:7f00:1::1', '6to4 of 127.0.0.1'],
    ['2002:808:808::1', '6to4 of a public address'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
    ['64:ff9b::a00:1', 'NAT64 well-known'],
    ['64:ff9b:1::a00:1', 'NAT64 local-use'],
    ['fec0::1', 'site-local'],
    ['fd00:ec2::254', 'EC2 metadata (unique-local)'],
    ['2001:db8::1', 'documentation'],
    ['3fff::1', 'documentation (2024)'],
    ['ff02::1', 'multicast'],
    ['192.0.2.1', 'TEST-NET-1'],
    ['198.51.100.7', 'TEST-NET-2'],
    ['203.0.113.9', 'TEST-NET-3'],
    ['192.88.99.1', '6to4 relay anycast'],
  ])('refuses %s (%s)', (address) => {
    expect(isPublicAddress(address)).toBe(false);
    const host = address.includes(':') ? `[${address}]` : address;
    expect(() => checkEndpointUrl(`https://${host}/hook`, 'aws')).toThrow(EndpointAddressError);
  });

  it.each(['2606:4700::1111', '2a00:1450:4001:80b::200e', '2001:4860:4860::8888'])(
    'accepts the global unicast %s',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );

  it('takes ports 443 and 8443 only in AWS mode, any port locally on loopback', () => {
    expect(checkEndpointUrl('https://hooks.example.com:443/x', 'aws').port).toBe('');
    expect(checkEndpointUrl('https://hooks.example.com:8443/x', 'aws').port).toBe('8443');
    for (const port of ['22', '80', '8080', '6379', '444']) {
      expect(() => checkEndpointUrl(`https://hooks.example.com:${port}/x`, 'aws')).toThrow(/443 or 8443/);
    }
    expect(checkEndpointUrl('http://127.0.0.1:4321/hook', 'local').port).toBe('4321');
  });

  it('refuses at delivery a name that resolves into a tunnel prefix', async () => {
    const url = new URL('https://hooks.example.com/x');
    await expect(deliveryAddress(url, 'aws', async () => ['2002:a00:1::1'])).rejects.toThrow(
      EndpointAddressError,
    );
  });
});
