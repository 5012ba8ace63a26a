import { describe, expect, it } from 'vitest';
import { checkIssuerAuth } from '../../shared/domain/issuer-auth.js';
import { checkIssuerUrl } from '../../shared/domain/issuer-url.js';

const refusal = (raw: string, mode: 'aws' | 'local') => {
  try {
    checkIssuerUrl(raw, mode);
  } catch (error) {
    expect(error).toMatchObject({ code: 'validation', details: { field: 'issuerUrl' } });
    // The refusal never quotes the URL: it could hold a secret the operator pasted by mistake.
    expect((error as Error).message).not.toContain('s3cret');
    return (error as Error).message;
  }
  return 'accepted';
};

describe('checkIssuerUrl', () => {
  it('accepts https outside local mode and answers the URL without a trailing slash', () => {
    expect(checkIssuerUrl('https://issuer.example/bridge/', 'aws')).toBe('https://issuer.example/bridge');
    expect(checkIssuerUrl('HTTPS://Issuer.Example', 'aws')).toBe('https://issuer.example');
  });

  it.each([
    ['http://issuer.example', /must be https/],
    ['http://127.0.0.1:3001', /loopback/],
    ['https://127.0.0.1', /loopback/],
    ['https://127.1', /loopback/],
    ['https://0x7f000001', /loopback/],
    ['https://localhost:8443', /loopback/],
    ['https://[::1]', /loopback/],
    ['https://[::ffff:127.0.0.1]', /loopback/],
    ['https://169.254.169.254', /link-local/],
    ['https://user:s3cret@issuer.example', /credentials/],
    ['https://issuer.example/?token=s3cret', /query/],
    ['https://issuer.example/#s3cret', /fragment/],
    ['ftp://issuer.example', /must be https/],
    ['issuer.example', /not a URL/],
    // Found by the review: a trailing dot, private ranges and non-global IPv6 literals.
    ['https://localhost./', /loopback/],
    ['https://foo.localhost./', /loopback/],
    ['https://10.0.0.8', /private/],
    ['https://172.16.5.4', /private/],
    ['https://192.168.1.1', /private/],
    ['https://100.64.0.1', /private/],
    ['https://[::]', /private/],
    ['https://[::7f00:1]', /private/],
    ['https://[::ffff:a9fe:a9fe]', /private/],
    ['https://[fc00::1]', /private/],
  ])('refuses %s outside local mode', (raw, reason) => {
    expect(refusal(raw, 'aws')).toMatch(reason);
  });

  it('allows http in local mode to a loopback host only', () => {
    expect(checkIssuerUrl('http://127.0.0.1:3001/', 'local')).toBe('http://127.0.0.1:3001');
    expect(checkIssuerUrl('http://localhost:3001', 'local')).toBe('http://localhost:3001');
    expect(checkIssuerUrl('http://[::1]:3001', 'local')).toBe('http://[::1]:3001');
    expect(checkIssuerUrl('https://issuer.example', 'local')).toBe('https://issuer.example');
    expect(refusal('http://issuer.example', 'local')).toMatch(/must be https/);
    expect(refusal('http://10.0.0.8:3001', 'local')).toMatch(/must be https/);
    expect(refusal('http://user:s3cret@127.0.0.1:3001', 'local')).toMatch(/credentials/);
  });
});

describe('checkIssuerAuth', () => {
  it('takes none only in local mode, and hmac or bearer with a Secrets Manager ARN or name', () => {
    expect(checkIssuerAuth(undefined, 'local')).toEqual({ kind: 'none' });
    expect(() => checkIssuerAuth(undefined, 'aws')).toThrow(/needs auth hmac or bearer/);
    expect(() => checkIssuerAuth({ kind: 'none' }, 'aws')).toThrow(/needs auth/);
    const arn = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:card-vault/issuers/acme-AbCdEf';
    expect(checkIssuerAuth({ kind: 'bearer', secretRef: arn }, 'aws')).toEqual({
      kind: 'bearer',
      secretRef: arn,
    });
    const hmac = { kind: 'hmac', keyId: 'vault-2026', secretRef: 'card-vault/issuers/acme' } as const;
    expect(checkIssuerAuth(hmac, 'aws')).toEqual(hmac);
    for (const bad of [
      { ...hmac, keyId: '' },
      { ...hmac, keyId: 'has space' },
      { ...hmac, secretRef: 'whsec_looks like a secret, not a name!' },
      { kind: 'bearer', secretRef: '' },
    ] as const) {
      expect(() => checkIssuerAuth(bad, 'aws')).toThrow(expect.objectContaining({ code: 'validation' }));
    }
  });
});
