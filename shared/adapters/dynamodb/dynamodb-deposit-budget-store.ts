import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { DepositBudget } from '../../domain/deposit-budget.js';
import type { SellerEvent } from '../../domain/seller-standing.js';
import type { DepositBudgetStore } from '../../ports/deposit-budget-store.js';
import { anyOf, atMost, equals, exists, expression, notExists } from './expression.js';
import { entity, optionalText, text } from './item-schema.js';
import { keys } from './keys.js';
import { parseItem } from './parse-item.js';
import { sellerEventItem } from './seller-strike-items.js';
import { getParsed, type TableContext } from './table-context.js';
import { transactWrite } from './transact.js';

const slots = z.record(z.string(), text);
const budgetSchema = entity<DepositBudget>()(
  z.object({
    held: slots,
    rejected: slots,
    lockedUntil: optionalText,
    lockTimes: z.array(text),
    operatorLockSince: optionalText,
    version: z.int(),
  }),
);

/**
 * The budget item sits in the seller's partition. Taking slots is conditional on `version`, so
 * two deposits racing for the last slot cannot both win; giving back and rejecting only move a
 * slot the caller holds, so they need no condition (a hold id is unique).
 */
export class DynamoDepositBudgetStore implements DepositBudgetStore {
  constructor(private readonly ctx: TableContext) {}

  async get(tenantId: string, sellerId: string): Promise<DepositBudget | undefined> {
    return getParsed(this.ctx, 'deposit budget', budgetSchema, keys.depositBudget(tenantId, sellerId));
  }

  async take(input: Parameters<DepositBudgetStore['take']>[0]): Promise<boolean> {
    const { tenantId, sellerId, version, holds, drop } = input;
    const update = expression().set('version', version + 1);
    if (version === 0) {
      update
        .set('entity', 'DepositBudget')
        .set('tenantId', tenantId)
        .set('sellerId', sellerId)
        .set('held', { ...holds })
        .set('rejected', {})
        .set('lockTimes', [])
        .when(notExists('pk'));
    } else {
      for (const [id, at] of Object.entries(holds)) update.set(`held.${id}`, at);
      for (const id of drop.held) update.remove(`held.${id}`);
      for (const id of drop.rejected) update.remove(`rejected.${id}`);
      update.when(equals('version', version));
    }
    return this.conditional(tenantId, sellerId, update);
  }

  async release(tenantId: string, sellerId: string, holdIds: readonly string[]): Promise<void> {
    if (holdIds.length === 0) return;
    const update = expression().when(exists('pk'));
    for (const id of holdIds) update.remove(`held.${id}`);
    await this.conditional(tenantId, sellerId, update);
  }

  async reject(tenantId: string, sellerId: string, holdIds: readonly string[], at: string) {
    const update = expression();
    for (const id of holdIds) update.remove(`held.${id}`).set(`rejected.${id}`, at);
    const result = await this.ctx.doc.send(
      new UpdateCommand({
        TableName: this.ctx.tableName,
        Key: keys.depositBudget(tenantId, sellerId),
        ...update.when(exists('pk')).buildUpdate(),
        ReturnValues: 'ALL_NEW',
      }),
    );
    return parseItem('deposit budget', budgetSchema, result.Attributes ?? {});
  }

  async lock(input: Parameters<DepositBudgetStore['lock']>[0]): Promise<boolean> {
    const { tenantId, sellerId, event } = input;
    const update = expression()
      .set('lockedUntil', input.lockedUntil)
      .set('lockTimes', [...input.lockTimes])
      .when(notExists('operatorLockSince'), anyOf(notExists('lockedUntil'), atMost('lockedUntil', event.at)));
    if (input.operator) update.set('operatorLockSince', event.at);
    return this.transact(tenantId, sellerId, update, event);
  }

  async unlock(tenantId: string, event: SellerEvent, version: number): Promise<boolean> {
    // On the version read: whatever made it locked (a written lock, or rejections and dead holds
    // filling the budget) is still so, and two operators' unlocks write one event.
    const update = expression()
      .set('held', {})
      .set('rejected', {})
      .set('lockTimes', [])
      .set('version', version + 1)
      .remove('lockedUntil', 'operatorLockSince')
      .when(equals('version', version));
    return this.transact(tenantId, event.sellerId, update, event);
  }

  private async transact(
    tenantId: string,
    sellerId: string,
    update: ReturnType<typeof expression>,
    event: SellerEvent,
  ): Promise<boolean> {
    const outcome = await transactWrite(this.ctx.doc, [
      {
        tag: 'budget',
        item: {
          Update: {
            TableName: this.ctx.tableName,
            Key: keys.depositBudget(tenantId, sellerId),
            ...update.buildUpdate(),
          },
        },
      },
      sellerEventItem(this.ctx.tableName, tenantId, event),
    ]);
    return outcome.ok;
  }

  private async conditional(
    tenantId: string,
    sellerId: string,
    update: ReturnType<typeof expression>,
  ): Promise<boolean> {
    try {
      await this.ctx.doc.send(
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key: keys.depositBudget(tenantId, sellerId),
          ...update.buildUpdate(),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
