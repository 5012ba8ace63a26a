import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import { type Link, linkKinds } from '../../domain/link.js';
import type { LinkStore } from '../../ports/link-store.js';
import { allOf, anyOf, exists, expression, lessThan, notExists } from './expression.js';
import { entity, optionalText, text } from './item-schema.js';
import { keys } from './keys.js';
import { parseItem } from './parse-item.js';
import { getParsed, putNew, type TableContext } from './table-context.js';
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
  }),
);

const pointerSchema = z.object({ tokenHash: text });
const countSchema = z.object({ redeliveries: z.optional(z.number()) });

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
    if (link.revokedAt) return link;
    await this.ctx.doc.send(
      new UpdateCommand({
        TableName: this.ctx.tableName,
        Key: keys.linkToken(link.tokenHash),
        ...expression().setIfMissing('revokedAt', at).when(exists('pk')).buildUpdate(),
      }),
    );
    return { ...link, revokedAt: link.revokedAt ?? at };
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

  async redeliveries(tenantId: string, linkId: string): Promise<number> {
    const counted = await getParsed(this.ctx, 'link pointer', countSchema, keys.link(tenantId, linkId));
    return counted?.redeliveries ?? 0;
  }
}
