import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ANSWER_BYTES, WebhookSender } from '../../shared/adapters/webhook-http/webhook-sender.js';
import { signWebhook } from '../../shared/webhooks/sign-webhook.js';
import { verifyWebhook } from '../../shared/webhooks/verify-webhook.js';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
const received: { path: string; body: string; signature: string | undefined }[] = [];
const handlers: Record<string, Handler> = {
  '/ok': (_req, _body, res) => res.writeHead(200).end('thanks'),
  '/fail': (_req, _body, res) => res.writeHead(500).end(),
  '/redirect': (_req, _body, res) => res.writeHead(302, { location: '/ok' }).end(),
  '/slow': () => {}, // never answers
  // Answers at once, then one byte every 200 ms, for ever.
  '/trickle': (_req, _body, res) => {
    res.writeHead(200);
    res.write('{');
    const drip = setInterval(() => res.write(' '), 200);
    res.on('close', () => clearInterval(drip));
  },
  // An endless body, 1 KiB every 5 ms, counting what was written before the sender hung up.
  '/huge': (_req, _body, res) => {
    res.writeHead(200);
    const chunk = Buffer.alloc(1024, 'x');
    huge.written = 0;
    const pour = setInterval(() => {
      res.write(chunk);
      huge.written += chunk.length;
    }, 5);
    res.on('close', () => {
      clearInterval(pour);
      huge.closedAfter = huge.written;
    });
  },
};
const huge: { written: number; closedAfter?: number } = { written: 0 };
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ path: req.url ?? '', body, signature: req.headers['card-vault-signature'] as string });
      handlers[req.url ?? '']?.(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const body = JSON.stringify({ id: 'evt_1', type: 'order.paid', created: 1, tenant: 't', data: {} });
const now = Math.floor(Date.now() / 1000);
const signature = signWebhook(body, now, ['whsec_a']);
const local = new WebhookSender({ mode: 'local', timeoutMs: 500 });

describe('WebhookSender', () => {
  it('delivers a signed body the receiver can verify', async () => {
    const attempt = await local.send(`${base}/ok`, body, signature);
    expect(attempt).toMatchObject({ outcome: 'delivered', status: 200 });
    const got = received.find((r) => r.path === '/ok');
    expect(verifyWebhook(got?.body ?? '', got?.signature, 'whsec_a')).toEqual(JSON.parse(body));
  });

  it('records a 500 as a failed attempt with its status', async () => {
    expect(await local.send(`${base}/fail`, body, signature)).toMatchObject({
      outcome: 'failed',
      status: 500,
    });
  });

  it('does not follow a redirect', async () => {
    const before = received.filter((r) => r.path === '/ok').length;
    const attempt = await local.send(`${base}/redirect`, body, signature);
    expect(attempt).toMatchObject({ outcome: 'failed', status: 302, error: 'redirect not followed' });
    expect(received.filter((r) => r.path === '/ok')).toHaveLength(before);
  });

  it('gives up on a receiver that never answers', async () => {
    expect(await local.send(`${base}/slow`, body, signature)).toMatchObject({
      outcome: 'failed',
      error: 'timed out',
    });
  });

  it('cuts a receiver that answers 200 then trickles its body at the deadline, as a timeout', async () => {
    const started = Date.now();
    const attempt = await local.send(`${base}/trickle`, body, signature);
    expect(attempt).toMatchObject({ outcome: 'failed', status: 200, error: 'timed out' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('reads no more of an answer than the cap, then hangs up', async () => {
    const started = Date.now();
    const attempt = await local.send(`${base}/huge`, body, signature);
    expect(attempt).toMatchObject({ outcome: 'delivered', status: 200 });
    expect(Date.now() - started).toBeLessThan(400); // ended at the cap, not at the 500 ms deadline
    await expect.poll(() => huge.closedAfter, { timeout: 1000 }).toBeDefined();
    // What the receiver got out before it saw the connection go: the cap, a few chunks in flight.
    expect(huge.closedAfter).toBeLessThan(MAX_ANSWER_BYTES + 16 * 1024);
  });

  it('in AWS mode, never connects to loopback, nor to a name that resolves to a private address', async () => {
    const aws = new WebhookSender({ mode: 'aws', timeoutMs: 500, resolve: async () => ['127.0.0.1'] });
    const count = received.length;
    expect(await aws.send(`${base}/ok`, body, signature)).toMatchObject({ outcome: 'failed' });
    // A name that resolves to loopback, on a port the policy allows: refused at the address.
    const rebound = await aws.send('https://hooks.example.com/ok', body, signature);
    expect(rebound).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/private, loopback/) });
    expect(received).toHaveLength(count);
  });
});
