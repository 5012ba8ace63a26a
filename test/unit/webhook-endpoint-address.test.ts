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
