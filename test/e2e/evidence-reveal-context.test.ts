import { createHash } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDynamoClients } from '../../shared/adapters/dynamodb/dynamodb-clients.js';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import { canonicalize } from '../../shared/evidence/canonical-json.js';
import { verifyEvidence } from '../../shared/evidence/verify-evidence.js';
import { expectProblem } from '../support/fraud-helpers.js';
import { createRevealLink, getPage, nonceOf, postForm, SAME_ORIGIN } from '../support/link-pages.js';
import { aPaidOrder, unique } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();
const RETENTION_DAYS = 540;

const CONTEXT = {
  ip: '203.0.113.77',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) EvidenceTest/1.0',
  sessionId: 'sess_9f1c2b7e',
  deviceId: 'dev-4471-aa',
};

async function evidenceOf(orderId: string) {
  const res = await stack.current.get(`/v1/orders/${orderId}/evidence`);
  expect(res.status, res.text).toBe(200);
  return res.body as { bundle: any; jws: string };
}

async function verified(answer: { bundle: unknown; jws: string }) {
  const keys = (await stack.current.get('/v1/evidence-keys')).body;
  return verifyEvidence(answer, keys);
}

const digestOf = (context: unknown, salt: string) =>
  createHash('sha256').update(canonicalize({ context, salt })).digest('hex');

function apiReveal(orderId: string, body: Record<string, unknown>) {
  return stack.current.post(`/v1/orders/${orderId}/reveal`, body, { 'idempotency-key': unique('reveal') });
}

describe('evidence: who revealed (issue 22 item 2)', () => {
  it('keeps no context for a refused press: a second reveal key, or a stranger, stores nothing', async () => {
    const s = stack.current;
    const { orderId, buyerId } = await aPaidOrder(s);
    expect((await apiReveal(orderId, { buyerId, buyerContext: CONTEXT })).status).toBe(200);
    const contextItems = async () => {
      const { doc } = createDynamoClients({ endpoint: s.dynamodbEndpoint });
      const { Items = [] } = await doc.send(
        new QueryCommand({
          TableName: s.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ctx)',
          ExpressionAttributeValues: { ':pk': keys.order(s.devTenantId, orderId).pk, ':ctx': 'CTX#' },
        }),
      );
      return Items.length;
    };
    expect(await contextItems()).toBe(1);
    // Refused presses: another key (already revealed), and someone who is not the buyer (404).
    const other = { ip: '198.51.100.9', userAgent: 'not the buyer' };
    expectProblem(await apiReveal(orderId, { buyerId, buyerContext: other }), 409, 'already-revealed');
    expectProblem(
      await apiReveal(orderId, { buyerId: unique('stranger'), buyerContext: other }),
      404,
      'not-found',
    );
    // Before this, each refused press stored its sender's address for 540 days, named by no event.
    expect(await contextItems()).toBe(1);
  });

  it("an API reveal's buyerContext is in the bundle, its salted digest on order.revealed, and the bundle verifies", async () => {
    const { orderId, buyerId } = await aPaidOrder(stack.current);
    const res = await apiReveal(orderId, { buyerId, buyerContext: CONTEXT });
    expect(res.status, res.text).toBe(200);

    const answer = await evidenceOf(orderId);
    const revealed = answer.bundle.trail.find((e: { type: string }) => e.type === 'order.revealed');
    const digest = revealed.data.buyerContextDigest;
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(answer.bundle.revealContexts).toEqual([
      {
        eventId: revealed.eventId,
        digest,
        state: 'kept',
        source: 'api',
        context: CONTEXT,
        salt: expect.stringMatching(/^[0-9a-f]{32}$/),
        recordedAt: expect.any(String),
        erasedAt: expect.any(String),
      },
    ]);
    const [kept] = answer.bundle.revealContexts;
    // The context is bound to the signed chain: its digest, with the salt shown, is the event's.
    expect(digestOf(kept.context, kept.salt)).toBe(digest);
    expect(Date.parse(kept.erasedAt) - Date.parse(kept.recordedAt)).toBe(RETENTION_DAYS * 86_400_000);
    expect(await verified(answer)).toMatchObject({ ok: true });
    // Evidence, never logs: no line the vault logged holds any of it.
    const logged = stack.current.logs.join('\n');
    for (const value of Object.values(CONTEXT)) expect(logged).not.toContain(value);
  });

  it('a reveal on the hosted page records the connection address and the browser user agent, not X-Forwarded-For', async () => {
    const { orderId, buyerId } = await aPaidOrder(stack.current);
    const link = await createRevealLink(stack.current, orderId, buyerId);
    const opened = await getPage(stack.current, link.path);
    const agent = 'Mozilla/5.0 (HostedPageBuyer) Chrome/131';
    const revealed = await postForm(
      stack.current,
      `${link.path}/reveal`,
      { nonce: nonceOf(opened.html) },
      { ...SAME_ORIGIN, 'user-agent': agent, 'x-forwarded-for': '198.51.100.9' },
    );
    expect(revealed.status, revealed.html).toBe(200);

    const { bundle } = await evidenceOf(orderId);
    expect(bundle.revealContexts).toHaveLength(1);
    const [kept] = bundle.revealContexts;
    expect(kept).toMatchObject({ state: 'kept', source: 'hosted_page', context: { userAgent: agent } });
    // The test talks to the local stack over loopback: the socket's peer, whatever the header said.
    expect(kept.context.ip).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
    expect(JSON.stringify(bundle)).not.toContain('198.51.100.9');
    const event = bundle.trail.find((e: { type: string }) => e.type === 'order.revealed');
    expect(event.data).toMatchObject({ channel: 'hosted_page', buyerContextDigest: kept.digest });
  });

  it('refuses a malformed or oversized buyerContext as a validation problem, revealing nothing', async () => {
    const { orderId, buyerId } = await aPaidOrder(stack.current);
    for (const buyerContext of [
      { ip: '999.1.1.1' },
      { ip: 'not-an-ip' },
      { userAgent: 'x'.repeat(513) },
      { sessionId: 'has space' },
      { deviceId: 'd'.repeat(129) },
      { email: 'buyer@example.com' },
    ]) {
      const res = await apiReveal(orderId, { buyerId, buyerContext });
      expectProblem(res, 400, 'validation');
    }
    const { bundle } = await evidenceOf(orderId);
    expect(bundle.order.state).toBe('paid');
    expect(bundle.revealContexts).toEqual([]);
  });

  it('format=stripe maps the signed bundle to Stripe dispute evidence; Accept: text/html answers the printable page', async () => {
    const { orderId, buyerId, card } = await aPaidOrder(stack.current);
    expect((await apiReveal(orderId, { buyerId, buyerContext: CONTEXT })).status).toBe(200);
    const res = await stack.current.get(`/v1/orders/${orderId}/evidence?format=stripe`);
    expect(res.status, res.text).toBe(200);
    const { evidence, bundleSha256, jws } = res.body;
    expect(evidence.customer_purchase_ip).toBe(CONTEXT.ip);
    expect(evidence.access_activity_log).toContain(`order.revealed by buyer via api from IP ${CONTEXT.ip}`);
    expect(evidence.enhanced_evidence.visa_compelling_evidence_3.disputed_transaction).toMatchObject({
      customer_account_id: buyerId,
      customer_purchase_ip: CONTEXT.ip,
      merchandise_or_services: 'merchandise',
    });
    // The mapping names the very bundle the JWS signs.
    const payload = Buffer.from(jws.split('.')[1], 'base64url').toString('utf8');
    expect(createHash('sha256').update(payload).digest('hex')).toBe(bundleSha256);
    expect(evidence.uncategorized_text).toContain(bundleSha256);
    expect(res.text).not.toContain(card.code);

    const page = await fetch(`${stack.current.apiUrl}/v1/orders/${orderId}/evidence`, {
      headers: {
        accept: 'text/html,application/xhtml+xml',
        authorization: `Bearer ${stack.current.devApiKey}`,
      },
    });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    // Its own bundle (issued now, so its hash is its own): the hash shown is that of the JWS shown.
    const shown = html.match(/id="evidence-jws"[^>]*>([^<]+)</)?.[1] ?? '';
    const signed = Buffer.from(shown.split('.')[1] ?? '', 'base64url');
    expect(html).toContain(createHash('sha256').update(signed).digest('hex'));
    expect(html).not.toContain(card.code);
  });

  it('after EVIDENCE_RETENTION_DAYS the context is erased from the bundle, and the trail and signature still verify', async () => {
    const { orderId, buyerId } = await aPaidOrder(stack.current);
    expect((await apiReveal(orderId, { buyerId, buyerContext: CONTEXT })).status).toBe(200);
    const before = await evidenceOf(orderId);
    expect(before.bundle.revealContexts[0].state).toBe('kept');

    stack.current.clock.advance(RETENTION_DAYS * 86_400 - 60);
    expect((await evidenceOf(orderId)).bundle.revealContexts[0].state).toBe('kept');
    stack.current.clock.advance(61);
    const after = await evidenceOf(orderId);
    const [erased] = after.bundle.revealContexts;
    expect(erased).toEqual({
      eventId: expect.any(String),
      digest: before.bundle.revealContexts[0].digest,
      state: 'erased',
    });
    const text = JSON.stringify(after.bundle);
    for (const value of Object.values(CONTEXT)) expect(text).not.toContain(value);
    // Erasing touched no event: the trail then is the start of the trail now (the release came since).
    expect(after.bundle.trail.slice(0, before.bundle.trail.length)).toEqual(before.bundle.trail);
    expect(await verified(after)).toMatchObject({ ok: true });
  });
});
