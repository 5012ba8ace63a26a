import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { requestOrigin } from '../../shared/http/request-origin.js';

const app = new Hono().get('/', (c) => c.json(requestOrigin(c) ?? null));

async function originWith(env: unknown, headers: Record<string, string> = {}): Promise<any> {
  return (await app.request('/', { headers }, env)).json();
}

describe('requestOrigin', () => {
  it("takes an HTTP API's (v2) source IP and user agent from the request context, never X-Forwarded-For", async () => {
    const env = { requestContext: { http: { sourceIp: '203.0.113.5', userAgent: 'Browser/1' } } };
    expect(await originWith(env, { 'x-forwarded-for': '198.51.100.1', 'user-agent': 'Forged/9' })).toEqual({
      ip: '203.0.113.5',
      userAgent: 'Browser/1',
    });
  });

  it("takes a REST API's (v1) identity", async () => {
    const env = { requestContext: { identity: { sourceIp: '2001:db8::7', userAgent: 'Browser/2' } } };
    expect(await originWith(env)).toEqual({ ip: '2001:db8::7', userAgent: 'Browser/2' });
  });

  it('without a request context or a socket, knows nothing (a header alone is not trusted)', async () => {
    expect(await originWith({}, { 'x-forwarded-for': '198.51.100.1' })).toBeNull();
  });

  it('bounds the user agent to 512 characters', async () => {
    const env = { requestContext: { http: { sourceIp: '203.0.113.5', userAgent: 'a'.repeat(2000) } } };
    expect((await originWith(env)).userAgent).toHaveLength(512);
  });
});
