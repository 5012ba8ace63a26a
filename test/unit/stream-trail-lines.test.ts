import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import { type StreamRecordLike, trailLinesOf } from '../../shared/adapters/dynamodb/stream-trail-lines.js';

const at = '2026-01-01T00:00:10.000Z';
const record = (
  eventName: string,
  item: Record<string, unknown>,
  old?: Record<string, unknown>,
): StreamRecordLike => ({
  eventName,
  dynamodb: { NewImage: marshall(item), ...(old ? { OldImage: marshall(old) } : {}) },
});

const penalty = {
  ...keys.penalty('t1', 'slr_1', 'ord_1#crd_1'),
  entity: 'Penalty',
  penaltyId: 'ord_1#crd_1',
  eventId: 'evt_0000000000000000000000000A',
  sellerId: 'slr_1',
  orderId: 'ord_1',
  // Written before issue 23: the placeholder is read as "found by the vault's issuer check".
  reportId: 'pre-reveal-check',
  cardId: 'crd_1',
  fine: { amount: 450, currency: 'EUR' },
  at,
};
const pending = {
  ...keys.card('t1', 'lst_1', 'crd_2'),
  entity: 'Card',
  tenantId: 't1',
  cardId: 'crd_2',
  listingId: 'lst_1',
  sellerId: 'slr_1',
  state: 'pending_validation',
  last4: '1234',
  ciphertext: 'sealed-bytes',
  fingerprint: 'keyed-hmac',
  validation: { issuerState: 'unreachable', checkedAt: at },
};
const settlement = {
  eventId: 'evt_0000000000000000000000000B',
  outcome: 'rejected',
  reason: 'invalid_code',
  at,
};
const settled = { ...pending, state: 'void', settlement };

describe('trailLinesOf', () => {
  it('reads a penalty INSERT as seller.penalised, naming its fields', () => {
    expect(trailLinesOf([record('INSERT', penalty)])).toEqual({
      malformed: 0,
      lines: [
        {
          tenantId: 't1',
          line: {
            eventId: penalty.eventId,
            type: 'seller.penalised',
            at,
            actor: 'vault',
            sellerId: 'slr_1',
            orderId: 'ord_1',
            data: {
              penaltyId: 'ord_1#crd_1',
              foundBy: 'issuer_check',
              cardId: 'crd_1',
              fine: penalty.fine,
            },
          },
        },
      ],
    });
  });

  it("reads the MODIFY that settles a pending card as card.deposit_settled, with the card's public view only", () => {
    const { lines, malformed } = trailLinesOf([record('MODIFY', settled, pending)]);
    expect(malformed).toBe(0);
    expect(lines).toEqual([
      {
        tenantId: 't1',
        line: {
          eventId: settlement.eventId,
          type: 'card.deposit_settled',
          at,
          actor: 'issuer',
          sellerId: 'slr_1',
          from: 'pending_validation',
          to: 'void',
          data: {
            cardId: 'crd_2',
            listingId: 'lst_1',
            last4: '1234',
            outcome: 'rejected',
            reason: 'invalid_code',
          },
        },
      },
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/sealed-bytes|keyed-hmac|ciphertext|fingerprint/);
  });

  it('skips what is not a settlement or has no webhook id', () => {
    const { eventId: _none, ...oldPenalty } = penalty;
    const reserved = { ...settled, state: 'reserved' };
    expect(
      trailLinesOf([
        record('INSERT', oldPenalty), // written before penalties carried an event id
        record('MODIFY', reserved, { ...settled, state: 'available' }), // a later change, settlement carried along
        record('MODIFY', { ...pending, state: 'withdrawn' }, pending), // withdrawn, not settled
        record('INSERT', pending), // a deposit
        record('MODIFY', { ...settled, tenantId: 't2' }, pending), // the tenant must be the partition's
        record('REMOVE', penalty),
      ]),
    ).toEqual({ lines: [], malformed: 0 });
  });

  it('counts a penalty or a settlement that does not parse, never quoting it', () => {
    const { fine: _fine, ...noFine } = penalty;
    const badOutcome = { ...settled, settlement: { ...settlement, outcome: 'maybe' } };
    expect(trailLinesOf([record('INSERT', noFine), record('MODIFY', badOutcome, pending)])).toEqual({
      lines: [],
      malformed: 2,
    });
  });
});
