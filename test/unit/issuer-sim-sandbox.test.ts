import { describe, expect, it } from 'vitest';
import { type AnswerKeyJwk, verifyAnswerSignature } from '../../shared/evidence/issuer-answer-signature.js';
import { createIssuerSimApp } from '../../shared/issuer-sim/issuer-sim-app.js';

const post = (app: ReturnType<typeof createIssuerSimApp>, path: string, body: unknown) =>
  app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('the simulated issuer sandbox', () => {
  it('answers a magic code for any brand, signed with the key /_sim/answer-key shows', async () => {
    const app = createIssuerSimApp();
    const key = (await (await app.request('/_sim/answer-key')).json()) as AnswerKeyJwk;
    const res = await post(app, '/check', { brand: 'any-brand', code: 'cvtest-spent', requestId: 'r-1' });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(JSON.parse(body)).toMatchObject({ state: 'active', lastUsedAt: expect.any(String) });
    const signature = /^v1=(.+)$/.exec(res.headers.get('card-vault-answer-signature') ?? '')?.[1] ?? '';
    expect(await verifyAnswerSignature({ key, requestId: 'r-1', body, signature })).toBe(true);
  });

  it('breaks a case on POST /_sim/broken and plays it straight again on an empty list', async () => {
    const app = createIssuerSimApp();
    const throttled = () => post(app, '/check', { brand: 'b', code: 'CVTESTTHROTTLED' });
    expect((await throttled()).headers.get('retry-after')).toBe('1');
    expect((await post(app, '/_sim/broken', { modes: ['no-retry-after'] })).status).toBe(200);
    const broken = await throttled();
    expect(broken.status).toBe(429);
    expect(broken.headers.get('retry-after')).toBeNull();
    await post(app, '/_sim/broken', { modes: [] });
    expect((await throttled()).headers.get('retry-after')).toBe('1');
    expect((await post(app, '/_sim/broken', { modes: ['no-such-mode'] })).status).toBe(400);
  });
});
