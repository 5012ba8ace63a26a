import { describe, expect, it } from 'vitest';
import { report } from '../support/fraud-helpers.js';
import { aPaidOrder, reveal } from '../support/scenario.js';
import { type TestStack, useTestStack } from '../support/test-stack.js';

const stack = useTestStack();

type Seen = { requestId?: string; purpose?: string };

const checksSeen = async (s: TestStack): Promise<Seen[]> => (await s.issuer('/_sim/checks', {})).body.recent;

describe('every issuer check is identifiable (issue 21, item 2)', () => {
  it('names its purpose (deposit, reveal, report) and a request id of its own, as the issuer receives it', async () => {
    const s = stack.current;
    const before = (await checksSeen(s)).length;
    const { orderId, buyerId, card } = await aPaidOrder(s);
    expect((await reveal(s, orderId, buyerId)).status).toBe(200);
    await s.issuer('/cards/redeem', { code: card.code });
    const reported = await report(s, orderId, buyerId, card.cardId);
    expect(reported.status, reported.text).toBeLessThan(300);
    const seen = (await checksSeen(s)).slice(before);
    expect(seen.map((c) => c.purpose)).toEqual(['deposit', 'reveal', 'report']);
    const ids = seen.map((c) => c.requestId);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
