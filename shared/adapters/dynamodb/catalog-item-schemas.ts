/** Schemas of the items the tenant and catalog stores read. */
import * as z from 'zod/mini';
import { type ApiKeyRecord, apiScopes } from '../../domain/api-key.js';
import type { Brand } from '../../domain/brand.js';
import { type Card, type CardValidation, cardStates } from '../../domain/card.js';
import type { Listing } from '../../domain/listing.js';
import type { Tenant } from '../../domain/tenant.js';
import type { FingerprintOwner } from '../../ports/catalog-store.js';
import { answerKey, answerSignature, entity, issuerState, money, optionalText, text } from './item-schema.js';

export const tenantSchema = entity<Tenant>()(
  z.object({
    tenantId: text,
    name: text,
    createdAt: text,
    rateLimit: z.optional(z.object({ ratePerSecond: z.number(), burst: z.int() })),
  }),
);

/**
 * A key made before scopes existed has none stored: it keeps the full power it was given (every
 * scope), as the CLI's first key of a tenant has. Its id is its key's, read from the item's key.
 */
export const apiKeySchema = entity<ApiKeyRecord>()(
  z.object({
    keyId: text,
    tenantId: text,
    secretHash: text,
    scopes: z._default(z.array(z.enum(apiScopes)), [...apiScopes]),
    description: optionalText,
    createdAt: z._default(text, '1970-01-01T00:00:00.000Z'),
    lastUsedAt: optionalText,
  }),
);

export const brandSchema = entity<Brand>()(
  z.object({
    brand: text,
    issuerUrl: text,
    codePattern: text,
    pinPattern: optionalText,
    auth: z.optional(
      z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('none') }),
        z.object({ kind: z.literal('hmac'), keyId: text, secretRef: text }),
        z.object({ kind: z.literal('bearer'), secretRef: text }),
      ]),
    ),
    answerKeys: z.optional(z.array(answerKey)),
    requireSignedAnswers: z.optional(z.boolean()),
    createdAt: text,
  }),
);

export const listingSchema = entity<Listing>()(
  z.object({
    tenantId: text,
    listingId: text,
    sellerId: text,
    brand: text,
    faceValue: money,
    price: money,
    title: optionalText,
    createdAt: text,
  }),
);

const cardValidation = entity<CardValidation>()(
  z.object({
    issuerState,
    balance: z.optional(money),
    redeemedAt: optionalText,
    checkedAt: text,
    answerSignature: z.optional(answerSignature),
  }),
);

export const cardSchema = entity<Card>()(
  z.object({
    tenantId: text,
    cardId: text,
    listingId: text,
    sellerId: text,
    state: z.enum(cardStates),
    last4: text,
    ciphertext: text,
    fingerprint: text,
    validation: cardValidation,
    orderId: optionalText,
    createdAt: text,
    updatedAt: text,
  }),
);

/** The projection `stock` reads of each card. */
export const cardStockSchema = z.object({
  state: z.enum(cardStates),
  orderId: optionalText,
  reservedUntil: optionalText,
});

export const fingerprintSchema = entity<FingerprintOwner>()(
  z.object({ tenantId: text, listingId: text, cardId: text }),
);
