import { isIP } from 'node:net';
import type { BuyerContext } from '../../domain/buyer-context.js';
import { ValidationError } from '../../domain/errors.js';
import * as z from '../zod.js';

// Bounded and printable: a context is evidence a person reads, never a place to park data.
const ipShape = /^[0-9A-Fa-f:.]{2,45}$/;
const agent = /^[\x20-\x7E]{1,512}$/;
const token = /^[\x21-\x7E]{1,128}$/;

/** Who revealed, as the marketplace knows it (`buyer-context.ts`). Every field optional. */
export const BuyerContextSchema = z
  .strictObject({
    ip: z
      .string()
      .regex(ipShape, 'must be an IPv4 or IPv6 address')
      .optional()
      .openapi({ description: "The buyer's IP address (IPv4 or IPv6) as the marketplace saw it." }),
    userAgent: z
      .string()
      .regex(agent, 'must be 1-512 printable ASCII characters')
      .optional()
      .openapi({ description: "The buyer's browser or app (User-Agent)." }),
    sessionId: z
      .string()
      .regex(token, 'must be 1-128 visible ASCII characters')
      .optional()
      .openapi({ description: "The marketplace's session id (an opaque id, never a session secret)." }),
    deviceId: z
      .string()
      .regex(token, 'must be 1-128 visible ASCII characters')
      .optional()
      .openapi({ description: "The marketplace's device fingerprint or id." }),
  })
  .openapi('BuyerContext', {
    description:
      'Who revealed, kept as dispute evidence for EVIDENCE_RETENTION_DAYS (default 540) and then ' +
      'erased; the trail keeps only its salted digest. Never logged.',
  });

/** The schema checks the shape; an address must also parse as one (`1.2.3` or `:::` do not). */
export function checkedContext(context: BuyerContext): BuyerContext {
  if (context.ip !== undefined && isIP(context.ip) === 0) {
    throw new ValidationError(
      'the request body is not valid: buyerContext.ip must be an IPv4 or IPv6 address',
      {
        errors: [{ path: 'buyerContext.ip', message: 'must be an IPv4 or IPv6 address' }],
      },
    );
  }
  return context;
}
