import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Card,
  type CardState,
  type CardValidation,
  cardStates,
  type DepositSettlement,
} from '../../domain/card.js';
import { CardNotAvailableError, ConcurrentUpdateError, DuplicateCardError } from '../../domain/errors.js';
import type { Listing } from '../../domain/listing.js';
import type { CatalogStore, FingerprintOwner } from '../../ports/catalog-store.js';
import { cardSchema, cardStockSchema, fingerprintSchema, listingSchema } from './catalog-item-schemas.js';
import { anyOf, equals, expression, isIn, notExists } from './expression.js';
import { keys } from './keys.js';
import { parseItem } from './parse-item.js';
import { getParsed, putNew, queryItems, type TableContext } from './table-context.js';
import { CARD_POOL_INDEX } from './table-definition.js';
import { type TaggedItem, transactWrite } from './transact.js';
import { words } from './vocabulary.js';

const CARD = words(cardStates);

/** Listings, cards and the deployment-wide fingerprint registry. */
export class DynamoCatalogStore implements CatalogStore {
  constructor(private readonly ctx: TableContext) {}

  async createListing(listing: Listing): Promise<void> {
    const item = { ...keys.listing(listing.tenantId, listing.listingId), entity: 'Listing', ...listing };
    try {
      await this.ctx.doc.send(new PutCommand(putNew(this.ctx.tableName, item).Put));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConcurrentUpdateError(
          'the listing already exists',
          { listingId: listing.listingId },
          { cause: error },
        );
      }
      throw error;
    }
  }

  async getListing(tenantId: string, listingId: string): Promise<Listing | undefined> {
    return getParsed(this.ctx, 'listing', listingSchema, keys.listing(tenantId, listingId));
  }

  async stock(tenantId: string, listingId: string, now: string) {
    const counts = Object.fromEntries(cardStates.map((s) => [s, 0])) as Record<CardState, number>;
    const lapsed = new Set<string>();
    // The keys too, so a malformed card is named.
    const projection = 'pk, sk, #state, orderId, reservedUntil';
    for await (const item of this.queryCards(tenantId, listingId, { projection })) {
      const { state, orderId, reservedUntil } = parseItem('card', cardStockSchema, item);
      counts[state] += 1;
      if (state === 'reserved' && reservedUntil !== undefined && reservedUntil <= now) {
        lapsed.add(String(orderId));
      }
    }
    return { counts, lapsedOrderIds: [...lapsed] };
  }

  async findFingerprint(fingerprint: string): Promise<FingerprintOwner | undefined> {
    return getParsed(this.ctx, 'fingerprint', fingerprintSchema, keys.fingerprint(fingerprint));
  }

  async addCard(card: Card): Promise<void> {
    const owner: FingerprintOwner = {
      tenantId: card.tenantId,
      listingId: card.listingId,
      cardId: card.cardId,
    };
    const { tableName } = this.ctx;
    const outcome = await transactWrite(this.ctx.doc, [
      {
        tag: 'card',
        item: putNew(tableName, {
          ...keys.card(card.tenantId, card.listingId, card.cardId),
          entity: 'Card',
          ...card,
          ...(card.state === 'available'
            ? keys.availableCard(card.tenantId, card.listingId, card.cardId)
            : {}),
        }),
      },
      {
        tag: 'fingerprint',
        item: putNew(tableName, { ...keys.fingerprint(card.fingerprint), entity: 'Fingerprint', ...owner }),
      },
    ]);
    if (outcome.ok) return;
    if (outcome.has('fingerprint')) throw new DuplicateCardError('this code is already in the vault', {});
    throw new ConcurrentUpdateError('the card id already exists', { cardId: card.cardId });
  }

  async addCards(cards: readonly Card[]): Promise<Set<string>> {
    const taken = new Set<string>();
    let pending = [...cards];
    while (pending.length > 0) {
      const outcome = await transactWrite(
        this.ctx.doc,
        pending.flatMap((card) => this.cardWrites(card)),
      );
      if (outcome.ok) return taken;
      const lost = pending.filter((c) => outcome.failed.includes(`fingerprint:${c.cardId}`));
      if (lost.length === 0) {
        throw new ConcurrentUpdateError('a card id already exists', { cardIds: outcome.failed.join(',') });
      }
      // Only those codes are duplicates (F6); the rest are written again without them.
      for (const card of lost) taken.add(card.cardId);
      pending = pending.filter((c) => !taken.has(c.cardId));
    }
    return taken;
  }

  private cardWrites(card: Card): TaggedItem[] {
    const { tableName } = this.ctx;
    const owner: FingerprintOwner = {
      tenantId: card.tenantId,
      listingId: card.listingId,
      cardId: card.cardId,
    };
    const pool =
      card.state === 'available' ? keys.availableCard(card.tenantId, card.listingId, card.cardId) : {};
    return [
      {
        tag: `card:${card.cardId}`,
        item: putNew(tableName, {
          ...keys.card(card.tenantId, card.listingId, card.cardId),
          entity: 'Card',
          ...card,
          ...pool,
        }),
      },
      {
        tag: `fingerprint:${card.cardId}`,
        item: putNew(tableName, { ...keys.fingerprint(card.fingerprint), entity: 'Fingerprint', ...owner }),
      },
    ];
  }

  async getCard(tenantId: string, listingId: string, cardId: string): Promise<Card | undefined> {
    return getParsed(this.ctx, 'card', cardSchema, keys.card(tenantId, listingId, cardId));
  }

  async settlePendingCard(
    card: Card,
    to: 'available' | 'void',
    validation: CardValidation,
    settlement: DepositSettlement,
  ): Promise<void> {
    const pool = to === 'available' ? keys.availableCard(card.tenantId, card.listingId, card.cardId) : {};
    await this.updateCardState(card, 'pending_validation', to, validation.checkedAt, {
      validation,
      settlement,
      ...pool,
    });
  }

  async withdrawCard(card: Card, at: string): Promise<void> {
    const { tableName } = this.ctx;
    const outcome = await transactWrite(this.ctx.doc, [
      {
        tag: 'card',
        item: {
          Update: {
            TableName: tableName,
            Key: keys.card(card.tenantId, card.listingId, card.cardId),
            ...expression()
              .set('state', CARD.withdrawn)
              .set('updatedAt', at)
              .remove('gsi2pk', 'gsi2sk')
              // Never a sold or reserved card, whatever the caller read: its fingerprint must stay taken (F6).
              .when(isIn('state', [CARD.available, CARD.pending_validation]))
              .buildUpdate(),
          },
        },
      },
      // Only the owner's entry is freed: a fingerprint re-taken by another card stays.
      {
        tag: 'fingerprint',
        item: {
          Delete: {
            TableName: tableName,
            Key: keys.fingerprint(card.fingerprint),
            ...expression()
              .when(anyOf(notExists('pk'), equals('cardId', card.cardId)))
              .buildCondition(),
          },
        },
      },
    ]);
    if (!outcome.ok)
      throw new CardNotAvailableError('the card changed state; it can no longer be withdrawn', {});
  }

  async findAvailableCards(
    tenantId: string,
    listingId: string,
    limit: number,
    read: 'pool' | 'consistent' = 'pool',
  ): Promise<Card[]> {
    if (read === 'pool') return this.pickFromPool(tenantId, listingId, limit);
    const found: Card[] = [];
    for await (const item of this.queryCards(tenantId, listingId, { onlyAvailable: true })) {
      found.push(parseItem('card', cardSchema, item));
      if (found.length >= limit) break;
    }
    return found;
  }

  async lapsedReservations(tenantId: string, listingId: string, now: string): Promise<string[]> {
    const lapsed = new Set<string>();
    for await (const item of queryItems(this.ctx, {
      IndexName: CARD_POOL_INDEX,
      // Sort keys are `<reservedUntil>#<cardId>`: `#~` sorts after every card id of that instant.
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :until',
      ProjectionExpression: 'pk, sk, #state, orderId, reservedUntil',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':pk': keys.heldCardsOf(tenantId, listingId), ':until': `${now}#~` },
    })) {
      const { state, orderId } = parseItem('card', cardStockSchema, item);
      if (state === 'reserved' && orderId !== undefined) lapsed.add(orderId);
    }
    return [...lapsed];
  }

  /**
   * Up to `limit` cards from the listing's pool, read from a random point of the index and
   * wrapping around: two buyers racing for the same listing rarely read the same cards. The
   * index is eventually consistent, so a card may already be taken: the reservation's
   * condition on the card's state decides.
   */
  private async pickFromPool(tenantId: string, listingId: string, limit: number): Promise<Card[]> {
    const start = randomBytes(4).toString('hex');
    const pk = keys.availableCardsOf(tenantId, listingId);
    const found: Card[] = [];
    for (const half of ['from', 'before'] as const) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await this.ctx.doc.send(
          new QueryCommand({
            TableName: this.ctx.tableName,
            IndexName: CARD_POOL_INDEX,
            KeyConditionExpression: `gsi2pk = :pk AND gsi2sk ${half === 'from' ? '>=' : '<'} :start`,
            ExpressionAttributeValues: { ':pk': pk, ':start': start },
            Limit: limit - found.length,
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) {
          const card = parseItem('card', cardSchema, item);
          if (card.state === 'available') found.push(card);
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey && found.length < limit);
      if (found.length >= limit) break;
    }
    return found;
  }

  private async updateCardState(
    card: Card,
    from: CardState,
    to: CardState,
    at: string,
    extra: Record<string, unknown>,
  ): Promise<void> {
    const update = expression().set('state', to).set('updatedAt', at).when(equals('state', from));
    for (const [name, value] of Object.entries(extra)) update.set(name, value);
    try {
      await this.ctx.doc.send(
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key: keys.card(card.tenantId, card.listingId, card.cardId),
          ...update.buildUpdate(),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new CardNotAvailableError(`the card is no longer ${from}`, {}, { cause: error });
      }
      throw error;
    }
  }

  private async *queryCards(
    tenantId: string,
    listingId: string,
    options: { projection?: string; onlyAvailable?: boolean },
  ): AsyncGenerator<Record<string, unknown>> {
    const { pk, skPrefix } = keys.cardsOf(tenantId, listingId);
    const filter = options.onlyAvailable
      ? { FilterExpression: '#state = :available', values: { ':available': 'available' } }
      : undefined;
    yield* queryItems(this.ctx, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ...(filter ? { FilterExpression: filter.FilterExpression } : {}),
      ...(options.projection ? { ProjectionExpression: options.projection } : {}),
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix, ...(filter?.values ?? {}) },
      ConsistentRead: true,
    });
  }
}
