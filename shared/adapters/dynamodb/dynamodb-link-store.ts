import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import { type Link, linkConfirms, linkKinds } from '../../domain/link.js';
import type { LinkFilter, LinkRow, LinkStore } from '../../ports/link-store.js';
import type { Page, PageRequest } from '../../ports/page.js';
import {
  allOf,
  anyOf,
  atMost,
  equals,
  exists,
  expression,
  greaterThan,
  lessThan,
  notExists,
} from './expression.js';
import { entity, optionalText, text } from './item-schema.js';
import { keys } from './keys.js';
import { parseItem } from './parse-item.js';
import { getParsed, putNew, type TableContext } from './table-context.js';
import { SELLER_INDEX } from './table-definition.js';
import { transactWrite } from './transact.js';

const linkSchema = entity<Link>()(
  z.object({
    linkId: text,
    tenantId: text,
    tenantName: text,
    kind: z.enum(linkKinds),
    tokenHash: text,
    subjectId: text,
    partyId: text,
    nonce: text,
    createdAt: text,
    expiresAt: text,
    revokedAt: optionalText,
    logoUrl: optionalText,
    createdByKeyId: optionalText,
    confirm: z.optional(z.enum(linkConfirms)),
    pinHash: optionalText,
  }),
);

const pointerSchema = z.object({ tokenHash: text });
const rowSchema = z.object({
  linkId: text,
  kind: z.enum(linkKinds),
  subjectId: text,
  createdAt: text,
  expiresAt: text,
  revokedAt: optionalText,
  createdByKeyId: optionalText,
});
/** DynamoDB pages a filtered list reads at most per request: a sparse filter answers sooner, with a cursor. */
const MAX_PAGES_PER_LIST = 10;
const countSchema = z.object({ redeliveries: z.optional(z.number()) });
const pinCountSchema = z.object({ pinFailures: z.optional(z.number()) });

/** Kept a day past expiry (the page then says "expired", not "unknown"), then DynamoDB's TTL deletes it. */
const ttlOf = (link: Link) => Math.floor(Date.parse(link.expiresAt) / 1000) + 24 * 3600;

/**
 * Links over the single table: the link itself under its token hash (what a page looks up), and
 * a pointer under the tenant (what revocation looks up), written together. A reveal link's
 * re-deliveries are counted on the pointer: under `T#`, which the reveal function may write, while
 * the `LINK#` item stays the api function's alone (infra/function-specs.ts).
 */
export class DynamoLinkStore implements LinkStore {
  constructor(private readonly ctx: TableContext) {}

  async putLink(link: Link): Promise<void> {
    const { tableName } = this.ctx;
    const ttl = ttlOf(link);
    const outcome = await transactWrite(this.ctx.doc, [
      {
        tag: 'link',
        item: putNew(tableName, { ...keys.linkToken(link.tokenHash), entity: 'Link', ttl, ...link }),
      },
      {
        tag: 'pointer',
        item: putNew(tableName, {
          ...keys.link(link.tenantId, link.linkId),
          entity: 'LinkPointer',
          ttl,
          tokenHash: link.tokenHash,
          // What the tenant's list shows and filters on (gsi2), never the token or the nonce.
          ...keys.tenantLink(link.tenantId, link.linkId),
          linkId: link.linkId,
          kind: link.kind,
          subjectId: link.subjectId,
          createdAt: link.createdAt,
          expiresAt: link.expiresAt,
          ...(link.createdByKeyId ? { createdByKeyId: link.createdByKeyId } : {}),
        }),
      },
    ]);
    if (!outcome.ok) throw new ConcurrentUpdateError('the link id or token already exists', {});
  }

  async findByTokenHash(tokenHash: string): Promise<Link | undefined> {
    return getParsed(this.ctx, 'link', linkSchema, keys.linkToken(tokenHash));
  }

  async getLink(tenantId: string, linkId: string): Promise<Link | undefined> {
    const pointer = await getParsed(this.ctx, 'link pointer', pointerSchema, keys.link(tenantId, linkId));
    if (!pointer) return undefined;
    const link = await this.findByTokenHash(pointer.tokenHash);
    return link?.tenantId === tenantId ? link : undefined;
  }

  async revoke(tenantId: string, linkId: string, at: string): Promise<Link | undefined> {
    const link = await this.getLink(tenantId, linkId);
    if (!link) return undefined;
    // The pointer too (the list's row), in the same transaction; again on a revoked link whose
    // pointer a write before this one missed. `setIfMissing` keeps the first time on both.
    const revoked = (key: { pk: string; sk: string }) => ({
      Update: {
        TableName: this.ctx.tableName,
        Key: key,
        ...expression()
          .setIfMissing('revokedAt', link.revokedAt ?? at)
          .when(exists('pk'))
          .buildUpdate(),
      },
    });
    await transactWrite(this.ctx.doc, [
      { tag: 'link', item: revoked(keys.linkToken(link.tokenHash)) },
      { tag: 'pointer', item: revoked(keys.link(tenantId, linkId)) },
    ]);
    return { ...link, revokedAt: link.revokedAt ?? at };
  }

  async claimPinFailure(tenantId: string, linkId: string, max: number): Promise<number | undefined> {
    const key = keys.link(tenantId, linkId);
    try {
      const result = await this.ctx.doc.send(
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key: key,
          ...expression()
            .add('pinFailures', 1)
            .when(allOf(exists('pk'), anyOf(notExists('pinFailures'), lessThan('pinFailures', max))))
            .buildUpdate(),
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return parseItem('link pointer', pinCountSchema, result.Attributes ?? {}, key).pinFailures ?? 1;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async pinFailures(tenantId: string, linkId: string): Promise<number> {
    const counted = await getParsed(this.ctx, 'link pointer', pinCountSchema, keys.link(tenantId, linkId));
    return counted?.pinFailures ?? 0;
  }

  async claimRedelivery(tenantId: string, linkId: string, max: number): Promise<number | undefined> {
    const key = keys.link(tenantId, linkId);
    try {
      const result = await this.ctx.doc.send(
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key: key,
          ...expression()
            .add('redeliveries', 1)
            .when(allOf(exists('pk'), anyOf(notExists('redeliveries'), lessThan('redeliveries', max))))
            .buildUpdate(),
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return parseItem('link pointer', countSchema, result.Attributes ?? {}, key).redeliveries ?? 1;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async listLinks(tenantId: string, filter: LinkFilter, page: PageRequest): Promise<Page<LinkRow>> {
    const conditions = [
      ...(filter.subjectId === undefined ? [] : [equals('subjectId', filter.subjectId)]),
      ...(filter.createdByKeyId === undefined ? [] : [equals('createdByKeyId', filter.createdByKeyId)]),
      ...(filter.active === undefined
        ? []
        : filter.active.is
          ? [allOf(notExists('revokedAt'), greaterThan('expiresAt', filter.active.now))]
          : [anyOf(exists('revokedAt'), atMost('expiresAt', filter.active.now))]),
    ];
    const where =
      conditions.length === 0
        ? undefined
        : expression()
            .when(allOf(...conditions))
            .buildCondition();
    const rows: LinkRow[] = [];
    let startKey: Record<string, unknown> | undefined =
      page.cursor === undefined
        ? undefined
        : { ...keys.link(tenantId, page.cursor), ...keys.tenantLink(tenantId, page.cursor) };
    let cutShort = false;
    for (let read = 0; read < MAX_PAGES_PER_LIST; read++) {
      const result = await this.ctx.doc.send(
        new QueryCommand({
          TableName: this.ctx.tableName,
          IndexName: SELLER_INDEX,
          KeyConditionExpression: 'gsi2pk = :pk',
          ...(where
            ? {
                FilterExpression: where.ConditionExpression,
                ExpressionAttributeNames: where.ExpressionAttributeNames,
              }
            : {}),
          ExpressionAttributeValues: {
            ...(where?.ExpressionAttributeValues ?? {}),
            ':pk': keys.tenantLinksOf(tenantId),
          },
          Limit: page.limit,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of result.Items ?? []) {
        if (rows.length === page.limit) {
          cutShort = true;
          break;
        }
        rows.push(toRow(parseItem('link pointer', rowSchema, item, String(item.pk))));
      }
      startKey = result.LastEvaluatedKey;
      if (rows.length === page.limit || !startKey) break;
    }
    const last = rows.at(-1)?.linkId ?? (startKey ? String(startKey.gsi2sk) : undefined);
    // More may follow: a full page (unless the partition ended exactly there), or a cut-off read.
    const more = (cutShort || startKey !== undefined) && last !== undefined;
    return { items: rows, ...(more ? { nextCursor: last } : {}) };
  }

  async redeliveries(tenantId: string, linkId: string): Promise<number> {
    const counted = await getParsed(this.ctx, 'link pointer', countSchema, keys.link(tenantId, linkId));
    return counted?.redeliveries ?? 0;
  }
}

function toRow(row: z.output<typeof rowSchema>): LinkRow {
  const { revokedAt, createdByKeyId, ...rest } = row;
  return {
    ...rest,
    ...(revokedAt !== undefined ? { revokedAt } : {}),
    ...(createdByKeyId !== undefined ? { createdByKeyId } : {}),
  };
}
