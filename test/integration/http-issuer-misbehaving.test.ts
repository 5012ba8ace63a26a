import { describe, expect, it } from 'vitest';
import { HttpIssuer } from '../../shared/adapters/issuer/http-issuer.js';
import { DependencyProtocolError, DependencyUnavailableError } from '../../shared/domain/errors.js';
import { DEMO_GIFT_BRAND, demoBrand } from '../../shared/issuer-sim/demo-brands.js';
import { aDeadIssuerUrl, aFixedIssuer } from '../support/fake-issuer.js';

const secret = { code: 'DEMOAAAABBBBCCCC' };
const noWait = { sleep: async () => undefined };

async function failureOf(issuer: HttpIssuer, url: string): Promise<unknown> {
  return issuer.check(demoBrand(DEMO_GIFT_BRAND, url), secret, { purpose: 'deposit' }).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('HttpIssuer tells a misbehaving issuer from an unreachable one', () => {
  it.each([
    ['a 4xx', 404, '{}', {}],
    ['a redirect', 302, '', { location: 'http://elsewhere.example/check' }],
    ['a body that is not JSON', 200, 'hello', {}],
    ['a body against the protocol', 200, '{"state":"maybe"}', {}],
  ])('throws DependencyProtocolError on %s', async (_, status, body, headers) => {
    const fake = await aFixedIssuer(status, body, headers);
    try {
      const error = await failureOf(new HttpIssuer({ mode: 'local', ...noWait }), fake.url);
      expect(error).toBeInstanceOf(DependencyProtocolError);
      expect((error as Error).message).not.toContain(secret.code);
    } finally {
      await fake.close();
    }
  });

  it.each([
    ['a 503', 503],
    ['a 429', 429],
  ])('throws a plain DependencyUnavailableError on %s', async (_, status) => {
    const fake = await aFixedIssuer(status, '{}');
    try {
      const error = await failureOf(new HttpIssuer({ mode: 'local', ...noWait }), fake.url);
      expect(error).toBeInstanceOf(DependencyUnavailableError);
      expect(error).not.toBeInstanceOf(DependencyProtocolError);
    } finally {
      await fake.close();
    }
  });

  it('throws a plain DependencyUnavailableError when nothing listens', async () => {
    const error = await failureOf(new HttpIssuer({ mode: 'local', ...noWait }), await aDeadIssuerUrl());
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(error).not.toBeInstanceOf(DependencyProtocolError);
  });

  it('keeps calling a misbehaving issuer misbehaving once its circuit opens', async () => {
    const fake = await aFixedIssuer(200, 'not json');
    try {
      const issuer = new HttpIssuer({ mode: 'local', ...noWait, failureThreshold: 2 });
      await failureOf(issuer, fake.url);
      await failureOf(issuer, fake.url);
      const error = await failureOf(issuer, fake.url);
      expect((error as Error).message).toMatch(/circuit open/);
      expect(error).toBeInstanceOf(DependencyProtocolError);
    } finally {
      await fake.close();
    }
  });
});
