import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { setRevealCookie } from '../../shared/http/pages/page-context.js';

const app = new Hono().post('/links/:token/reveal', (c) => {
  setRevealCookie(c, { value: 'mac', maxAge: 120 });
  return c.text('ok');
});

const cookieOf = async (origin: string) =>
  (await app.request(`${origin}/links/tok/reveal`, { method: 'POST' })).headers.get('set-cookie') ?? '';

describe('setRevealCookie', () => {
  it('is Secure, HttpOnly, SameSite=Strict and scoped to the link on a real host', async () => {
    const cookie = await cookieOf('https://vault.example');
    expect(cookie).toBe('cv_reveal=mac; Max-Age=120; Path=/links/tok; HttpOnly; Secure; SameSite=Strict');
  });

  it('drops Secure on loopback only (the local stack serves plain http)', async () => {
    for (const origin of ['http://127.0.0.1:3000', 'http://localhost:3000', 'http://[::1]:3000']) {
      expect(await cookieOf(origin)).not.toMatch(/Secure/);
    }
    expect(await cookieOf('http://127.0.0.1.example')).toMatch(/Secure/);
  });
});
