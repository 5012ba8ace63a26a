import { afterAll, describe, expect, it } from 'vitest';
import { createDynamoClients } from '../../shared/adapters/dynamodb/dynamodb-clients.js';
import { DynamoWebhookEndpointStore } from '../../shared/adapters/dynamodb/dynamodb-webhook-endpoint-store.js';
import { createLocalWebhookSecretCipher } from '../../shared/adapters/local-cipher/local-webhook-secret-cipher.js';
import {
  isClearSecret,
  MAX_ENDPOINTS_PER_TENANT,
  MAX_SIGNING_SECRETS,
  SECRET_OVERLAP_SECONDS,
  signingSecrets,
  type WebhookEndpoint,
} from '../../shared/domain/webhook-endpoint.js';
import { anotherTenant, expectProblem } from '../support/fraud-helpers.js';
import { unique } from '../support/scenario.js';
import { type HttpResult, type TestStack, useTestStack } from '../support/test-stack.js';

/**
 * Webhook endpoints per tenant (issue 9 item 1) over HTTP: the stack as deployed (`aws` mode:
 * https on a public address only) and the local stack's mode (http://127.0.0.1 allowed).
 */
const stack = useTestStack({ WEBHOOK_ENDPOINT_MODE: 'aws' });
const local = useTestStack();

const SECRET_PATTERN = /^whsec_[A-Za-z0-9_-]{43}$/;
/** Every secret any answer showed: none may appear in a later read or in any log line. */
const minted: string[] = [];

function register(s: TestStack, body: unknown, apiKey?: string): Promise<HttpResult> {
  return s.request('POST', '/v1/webhook-endpoints', { body, ...(apiKey ? { apiKey } : {}) });
}

async function anEndpoint(s: TestStack, body: Record<string, unknown> = {}) {
  const res = await register(s, { url: 'https://hooks.example.com/card-vault', eventTypes: ['*'], ...body });
  expect(res.status, res.text).toBe(201);
  minted.push(res.body.secret);
  return res.body as { endpointId: string; secret: string; url: string };
}

/** The endpoint as the dispatcher reads it: the stored secrets, not the API's hints. */
async function stored(s: TestStack, tenantId: string, endpointId: string) {
  const { client, doc } = createDynamoClients({ endpoint: s.dynamodbEndpoint });
  try {
    return await new DynamoWebhookEndpointStore({ doc, tableName: s.tableName }).get(tenantId, endpointId);
  } finally {
    client.destroy();
  }
}

/** The secrets that sign at `now`, opened with the stack's key as the dispatcher opens them. */
async function openedSigningSecrets(s: TestStack, endpoint: WebhookEndpoint | undefined, now: Date) {
  if (!endpoint) return undefined;
  const cipher = await createLocalWebhookSecretCipher({ keyFile: s.localKeyFile });
  const context = { tenantId: endpoint.tenantId, endpointId: endpoint.endpointId };
  return Promise.all(
    signingSecrets(endpoint, now).map((x) => (isClearSecret(x) ? x.secret : cipher.open(x.sealed, context))),
  );
}

function expectNoSecret(res: HttpResult, secrets: readonly string[]): void {
  for (const secret of secrets) expect(res.text).not.toContain(secret);
  expect(res.text).not.toMatch(/whsec_[A-Za-z0-9_-]{8}/);
}

afterAll(() => {
  // Read before the stacks stop (afterAll hooks of this file run before useTestStack's own).
  const logs = [...stack.current.logs, ...local.current.logs].join('\n');
  expect(minted.length).toBeGreaterThan(0);
  for (const secret of minted) expect(logs).not.toContain(secret);
  expect(logs).not.toContain('whsec_');
});

describe('webhook endpoints', () => {
  it('registers, lists, reads, changes, rolls, disables and deletes an endpoint; the secret is shown only when minted', async () => {
    const s = stack.current;
    const tenantId = await s.vault.tenants.authenticate(s.devApiKey);

    const created = await register(s, {
      url: 'https://hooks.example.com/card-vault',
      eventTypes: ['order.paid', 'order.refunded', 'order.paid'],
      description: 'orders to the fulfilment service',
    });
    expect(created.status, created.text).toBe(201);
    const { endpointId, secret } = created.body;
    minted.push(secret);
    expect(endpointId).toMatch(/^whk_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(created.headers.get('location')).toBe(`/v1/webhook-endpoints/${endpointId}`);
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect(secret).toMatch(SECRET_PATTERN);
    expect(created.body).toMatchObject({
      url: 'https://hooks.example.com/card-vault',
      eventTypes: ['order.paid', 'order.refunded'],
      description: 'orders to the fulfilment service',
      status: 'enabled',
      secrets: [{ last4: secret.slice(-4) }],
    });

    const listed = await s.get('/v1/webhook-endpoints');
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body.endpoints.map((e: { endpointId: string }) => e.endpointId)).toContain(endpointId);
    expectNoSecret(listed, [secret]);
    const read = await s.get(`/v1/webhook-endpoints/${endpointId}`);
    expect(read.status, read.text).toBe(200);
    expect(read.body).not.toHaveProperty('secret');
    expect(read.body.secrets).toEqual([{ last4: secret.slice(-4), createdAt: created.body.createdAt }]);
    expectNoSecret(read, [secret]);

    const changed = await s.request('PATCH', `/v1/webhook-endpoints/${endpointId}`, {
      body: { url: 'https://hooks.example.com/v2', eventTypes: ['*'], description: null },
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({ url: 'https://hooks.example.com/v2', eventTypes: ['*'] });
    expect(changed.body).not.toHaveProperty('description');
    expectNoSecret(changed, [secret]);

    // A roll: the new secret once, in this answer; both sign during the 24-hour overlap.
    const rolled = await s.post(`/v1/webhook-endpoints/${endpointId}/roll-secret`);
    expect(rolled.status, rolled.text).toBe(200);
    const next = rolled.body.secret as string;
    minted.push(next);
    expect(next).toMatch(SECRET_PATTERN);
    expect(next).not.toBe(secret);
    expect(rolled.headers.get('cache-control')).toBe('no-store');
    const overlapEnd = new Date(s.clock.now().getTime() + SECRET_OVERLAP_SECONDS * 1000);
    const during = await s.get(`/v1/webhook-endpoints/${endpointId}`);
    expect(during.body.secrets).toEqual([
      { last4: next.slice(-4), createdAt: expect.any(String) },
      { last4: secret.slice(-4), createdAt: created.body.createdAt, expiresAt: expect.any(String) },
    ]);
    const expiresAt = Date.parse(during.body.secrets[1].expiresAt);
    expect(Math.abs(expiresAt - overlapEnd.getTime())).toBeLessThan(60_000);
    expectNoSecret(during, [secret, next]);
    const afterRoll = await stored(s, tenantId, endpointId);
    expect(await openedSigningSecrets(s, afterRoll, s.clock.now())).toEqual([next, secret]);

    // Past the overlap only the new secret signs, and only it is listed.
    s.clock.advance(SECRET_OVERLAP_SECONDS + 1);
    const later = await s.get(`/v1/webhook-endpoints/${endpointId}`);
    expect(later.body.secrets).toEqual([{ last4: next.slice(-4), createdAt: expect.any(String) }]);
    const afterOverlap = await stored(s, tenantId, endpointId);
    expect(await openedSigningSecrets(s, afterOverlap, s.clock.now())).toEqual([next]);

    const disabled = await s.request('PATCH', `/v1/webhook-endpoints/${endpointId}`, {
      body: { status: 'disabled' },
    });
    expect(disabled.status, disabled.text).toBe(200);
    expect(disabled.body.status).toBe('disabled');
    expect((await s.get(`/v1/webhook-endpoints/${endpointId}`)).body.status).toBe('disabled');

    const deleted = await s.request('DELETE', `/v1/webhook-endpoints/${endpointId}`);
    expect(deleted.status, deleted.text).toBe(204);
    expect(deleted.text).toBe('');
    expectProblem(await s.get(`/v1/webhook-endpoints/${endpointId}`), 404, 'not-found');
    expectProblem(await s.request('DELETE', `/v1/webhook-endpoints/${endpointId}`), 404, 'not-found');
    expect(await stored(s, tenantId, endpointId)).toBeUndefined();
    const remaining = await s.get('/v1/webhook-endpoints');
    expect(remaining.body.endpoints.map((e: { endpointId: string }) => e.endpointId)).not.toContain(
      endpointId,
    );
  });

  it('keeps every secret a concurrent roll answered with: a change never writes back a stale read', async () => {
    const s = stack.current;
    const tenantId = await s.vault.tenants.authenticate(s.devApiKey);
    const { endpointId, secret } = await anEndpoint(s);
    const path = `/v1/webhook-endpoints/${endpointId}`;
    const [first, second, third, change] = await Promise.all([
      s.post(`${path}/roll-secret`),
      s.post(`${path}/roll-secret`),
      s.post(`${path}/roll-secret`),
      s.request('PATCH', path, { body: { description: 'changed during the rolls' } }),
    ]);
    for (const res of [first, second, third, change]) expect(res.status, res?.text).toBe(200);
    const answered = [first, second, third].map((r) => r?.body.secret as string);
    minted.push(...answered);
    const endpoint = await stored(s, tenantId, endpointId);
    expect(endpoint?.description).toBe('changed during the rolls');
    // Every secret a roll answered with signs; the first secret, the oldest of four, is the one
    // the cap of MAX_SIGNING_SECRETS (3) ends early.
    expect(MAX_SIGNING_SECRETS).toBe(answered.length);
    const signing = await openedSigningSecrets(s, endpoint, s.clock.now());
    expect(new Set(signing)).toEqual(new Set(answered));
    expect(signing).not.toContain(secret);
  });

  it.each([
    ['plain http', 'http://hooks.example.com/card-vault', 'https'],
    ['another scheme', 'ftp://hooks.example.com/card-vault', 'https'],
    ['not a URL', 'hooks.example.com/card-vault', 'not a URL'],
    ['credentials in the URL', 'https://user:pass@hooks.example.com/', 'credentials'],
    ['a private 10.x address', 'https://10.0.0.1/hook', 'private'],
    ['a private 192.168.x address', 'https://192.168.1.20/hook', 'private'],
    ['a private 172.16.x address', 'https://172.16.0.5/hook', 'private'],
    ['a private 172.31.x address', 'https://172.31.255.1/hook', 'private'],
    ['carrier-grade NAT', 'https://100.64.0.1/hook', 'private'],
    ['loopback', 'https://127.0.0.1/hook', 'private'],
    ['loopback over http (allowed only locally)', 'http://127.0.0.1:8080/hook', 'https'],
    ['the instance metadata address', 'https://169.254.169.254/latest/meta-data/', 'private'],
    ['link-local', 'https://169.254.10.1/hook', 'private'],
    ['IPv6 loopback', 'https://[::1]/hook', 'private'],
    ['IPv6 unique-local fd00::/8', 'https://[fd00::1]/hook', 'private'],
    ['the EC2 IPv6 metadata address', 'https://[fd00:ec2::254]/hook', 'private'],
    ['IPv6 link-local', 'https://[fe80::1]/hook', 'private'],
    ['IPv4-mapped IPv6 loopback', 'https://[::ffff:127.0.0.1]/hook', 'private'],
    ['the unspecified address', 'https://0.0.0.0/hook', 'private'],
    ['loopback in hex', 'https://0x7f000001/hook', 'private'],
    ['loopback as one decimal number', 'https://2130706433/hook', 'private'],
    ['loopback shortened', 'https://127.1/hook', 'private'],
    ['metadata in octal', 'https://0251.0376.0251.0376/hook', 'private'],
    ['localhost', 'https://localhost/hook', 'local host name'],
    ['an internal name', 'https://metadata.google.internal/computeMetadata', 'local host name'],
  ])('refuses %s with a webhook-url-refused problem', async (_name, url, reason) => {
    const s = stack.current;
    const res = await register(s, { url, eventTypes: ['*'] });
    expectProblem(res, 422, 'webhook-url-refused');
    expect(res.body.detail).toContain(reason);
    // The problem names the rule, never the URL (it may carry a token).
    expect(res.text).not.toContain(url);
  });

  it('checks a changed URL by the same rules and leaves the endpoint as it was', async () => {
    const s = stack.current;
    const { endpointId } = await anEndpoint(s);
    for (const url of ['https://10.1.2.3/', 'https://[::1]/', 'http://hooks.example.com/']) {
      const res = await s.request('PATCH', `/v1/webhook-endpoints/${endpointId}`, { body: { url } });
      expectProblem(res, 422, 'webhook-url-refused');
    }
    const read = await s.get(`/v1/webhook-endpoints/${endpointId}`);
    expect(read.body.url).toBe('https://hooks.example.com/card-vault');
  });

  it('stores the URL as parsed, so the sender checks what was checked here', async () => {
    const s = stack.current;
    const { url } = await anEndpoint(s, { url: 'HTTPS://Hooks.Example.COM:443/a/../card-vault' });
    expect(url).toBe('https://hooks.example.com/card-vault');
  });

  it('hides an endpoint from another tenant: 404 on every route, an empty list', async () => {
    const s = stack.current;
    const { endpointId } = await anEndpoint(s);
    const stranger = await anotherTenant(s);
    const theirs = await stranger.get('/v1/webhook-endpoints');
    expect(theirs.status, theirs.text).toBe(200);
    expect(theirs.body.endpoints).toEqual([]);
    const path = `/v1/webhook-endpoints/${endpointId}`;
    expectProblem(await stranger.get(path), 404, 'not-found');
    expectProblem(await stranger.request('PATCH', path, { status: 'disabled' }), 404, 'not-found');
    expectProblem(await stranger.post(`${path}/roll-secret`), 404, 'not-found');
    expectProblem(await stranger.request('DELETE', path), 404, 'not-found');
    // Nothing changed for the owner.
    const mine = await s.get(path);
    expect(mine.status, mine.text).toBe(200);
    expect(mine.body.status).toBe('enabled');
    expect(mine.body.secrets).toHaveLength(1);
  });

  it.each([
    ['an unknown event type', { url: 'https://hooks.example.com/', eventTypes: ['order.stolen'] }],
    ['no event type', { url: 'https://hooks.example.com/', eventTypes: [] }],
    ["'*' with another type", { url: 'https://hooks.example.com/', eventTypes: ['*', 'order.paid'] }],
    ['no URL', { eventTypes: ['*'] }],
    ['a URL too long', { url: `https://hooks.example.com/${'a'.repeat(2048)}`, eventTypes: ['*'] }],
    ['a URL that is not a string', { url: 42, eventTypes: ['*'] }],
    ['an unknown field', { url: 'https://hooks.example.com/', eventTypes: ['*'], secret: 'whsec_mine' }],
    [
      'a description with a bidi override',
      { url: 'https://hooks.example.com/', eventTypes: ['*'], description: 'a\u202Eb' },
    ],
  ])('answers 400 validation to a registration with %s', async (_name, body) => {
    const res = await register(stack.current, body);
    expectProblem(res, 400, 'validation');
  });

  it('answers 400 to malformed JSON, an empty change, a bad status and a malformed id', async () => {
    const s = stack.current;
    const { endpointId } = await anEndpoint(s);
    const malformed = await s.request('POST', '/v1/webhook-endpoints', {
      raw: '{"url": "https://hooks.example.com/",',
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(malformed, 400, 'malformed-json');
    const path = `/v1/webhook-endpoints/${endpointId}`;
    expectProblem(await s.request('PATCH', path, { body: {} }), 400, 'validation');
    expectProblem(await s.request('PATCH', path, { body: { status: 'paused' } }), 400, 'validation');
    expectProblem(await s.request('PATCH', path, { body: { eventTypes: ['nope'] } }), 400, 'validation');
    expectProblem(await s.get('/v1/webhook-endpoints/ord_00000000000000000000000000'), 400, 'validation');
    expectProblem(await s.post('/v1/webhook-endpoints/whk_nope/roll-secret'), 400, 'validation');
    expectProblem(await s.get('/v1/webhook-endpoints/whk_00000000000000000000000000'), 404, 'not-found');
  });

  it(`refuses a tenant's endpoint beyond ${MAX_ENDPOINTS_PER_TENANT} with a webhook-endpoint-limit problem`, async () => {
    const s = stack.current;
    const tenant = await anotherTenant(s, unique('many-endpoints'));
    const body = { url: 'https://hooks.example.com/card-vault', eventTypes: ['*'] };
    for (let i = 0; i < MAX_ENDPOINTS_PER_TENANT; i++) {
      const res = await register(s, body, tenant.apiKey);
      expect(res.status, res.text).toBe(201);
      minted.push(res.body.secret);
    }
    const over = await register(s, body, tenant.apiKey);
    expectProblem(over, 409, 'webhook-endpoint-limit');
    expect(over.body.limit).toBe(MAX_ENDPOINTS_PER_TENANT);
    const listed = await tenant.get('/v1/webhook-endpoints');
    expect(listed.body.endpoints).toHaveLength(MAX_ENDPOINTS_PER_TENANT);
    expectNoSecret(listed, minted);
    // A deletion makes room again.
    await tenant.request('DELETE', `/v1/webhook-endpoints/${listed.body.endpoints[0].endpointId}`);
    const again = await register(s, body, tenant.apiKey);
    expect(again.status, again.text).toBe(201);
    minted.push(again.body.secret);
  });
});

describe('webhook endpoints on the local stack', () => {
  it('allows http://127.0.0.1 (a receiver the tests start) and still refuses private and plain-http addresses', async () => {
    const s = local.current;
    for (const url of ['http://127.0.0.1:9/hook', 'http://localhost:9/hook']) {
      const res = await register(s, { url, eventTypes: ['order.paid'] });
      expect(res.status, res.text).toBe(201);
      minted.push(res.body.secret);
    }
    for (const url of ['http://10.0.0.1/hook', 'http://hooks.example.com/hook', 'https://169.254.169.254/']) {
      expectProblem(await register(s, { url, eventTypes: ['*'] }), 422, 'webhook-url-refused');
    }
  });
});
