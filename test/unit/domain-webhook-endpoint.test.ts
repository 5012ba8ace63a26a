import { describe, expect, it } from 'vitest';
import {
  isClearSecret,
  last4Of,
  MAX_SIGNING_SECRETS,
  rollSecret,
  SECRET_OVERLAP_SECONDS,
  type SigningSecret,
  signingSecrets,
  type WebhookEndpoint,
} from '../../shared/domain/webhook-endpoint.js';

/** A sealed secret as the service stores it; `names` reads back which one each entry is. */
const sealed = (name: string) => ({ sealed: `sealed:${name}`, last4: name.slice(-4) });
const names = (secrets: readonly SigningSecret[]) =>
  secrets.map((s) => (isClearSecret(s) ? s.secret : s.sealed.replace('sealed:', '')));

const created = new Date('2026-03-01T00:00:00.000Z');
const endpoint: WebhookEndpoint = {
  tenantId: 'tenant-1',
  endpointId: 'whk_01',
  url: 'https://hooks.example.com/cv',
  eventTypes: ['*'],
  status: 'enabled',
  secrets: [{ secret: 'whsec_0', createdAt: created.toISOString() }],
  createdAt: created.toISOString(),
  consecutiveFailures: 0,
};
const minutes = (n: number) => new Date(created.getTime() + n * 60_000);

describe('rolling a webhook signing secret', () => {
  it('signs with the new secret and the previous one for 24 hours, then the new one alone', () => {
    const rolled = rollSecret(endpoint, sealed('whsec_1'), minutes(10));
    expect(names(signingSecrets(rolled, minutes(11)))).toEqual(['whsec_1', 'whsec_0']);
    const overlapEnds = new Date(minutes(10).getTime() + SECRET_OVERLAP_SECONDS * 1000);
    expect(names(signingSecrets(rolled, new Date(overlapEnds.getTime() - 1)))).toEqual([
      'whsec_1',
      'whsec_0',
    ]);
    expect(names(signingSecrets(rolled, overlapEnds))).toEqual(['whsec_1']);
  });

  it(`keeps at most ${MAX_SIGNING_SECRETS} secrets however often it is rolled in a day, the newest`, () => {
    let current = endpoint;
    for (let i = 1; i <= 10; i++) current = rollSecret(current, sealed(`whsec_${i}`), minutes(i));
    expect(names(current.secrets)).toEqual(['whsec_10', 'whsec_9', 'whsec_8']);
    expect(names(signingSecrets(current, minutes(11)))).toEqual(['whsec_10', 'whsec_9', 'whsec_8']);
    // Each kept secret keeps the overlap its own roll gave it.
    expect(current.secrets[1]?.expiresAt).toBe(
      new Date(minutes(10).getTime() + SECRET_OVERLAP_SECONDS * 1000).toISOString(),
    );
    expect(current.secrets[2]?.expiresAt).toBe(
      new Date(minutes(9).getTime() + SECRET_OVERLAP_SECONDS * 1000).toISOString(),
    );
  });

  it('drops secrets whose overlap has ended', () => {
    const first = rollSecret(endpoint, sealed('whsec_1'), minutes(0));
    const dayLater = new Date(created.getTime() + SECRET_OVERLAP_SECONDS * 1000 + 60_000);
    expect(names(rollSecret(first, sealed('whsec_2'), dayLater).secrets)).toEqual(['whsec_2', 'whsec_1']);
  });
});

describe('signing secrets stored before issue 20', () => {
  it('keep signing in the clear until a roll, which seals the new one beside them', () => {
    const rolled = rollSecret(endpoint, sealed('whsec_1'), minutes(10));
    expect(rolled.secrets[0]).toEqual({
      sealed: 'sealed:whsec_1',
      last4: 'ec_1',
      createdAt: minutes(10).toISOString(),
    });
    expect(rolled.secrets[1]).toMatchObject({ secret: 'whsec_0' });
    expect(rolled.secrets.map(last4Of)).toEqual(['ec_1', 'ec_0']);
  });
});
