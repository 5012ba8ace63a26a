import { buyerContextSources, type RevealContextRecord } from '../../domain/buyer-context.js';
import type { TrailLine } from '../../domain/trail-line.js';
import { timestamp } from '../schemas.js';
import * as z from '../zod.js';

/** Who revealed, for one trail event that carries a `buyerContextDigest`. */
export const RevealContextSchema = z
  .object({
    eventId: z
      .string()
      .openapi({ description: 'The `order.revealed` or `order.redelivered` event it belongs to.' }),
    digest: z.string().openapi({
      description:
        "The event's `data.buyerContextDigest`: lower-case hex SHA-256 of the RFC 8785 form of `{ context, salt }`.",
    }),
    state: z.enum(['kept', 'erased']).openapi({
      description:
        '`erased`: past EVIDENCE_RETENTION_DAYS, the context and its salt are gone; the trail still verifies.',
    }),
    source: z.enum(buyerContextSources).optional(),
    context: z
      .object({
        ip: z.string().optional(),
        userAgent: z.string().optional(),
        sessionId: z.string().optional(),
        deviceId: z.string().optional(),
      })
      .optional(),
    salt: z.string().optional(),
    recordedAt: timestamp().optional(),
    erasedAt: timestamp().optional().openapi({ description: 'When the context is erased.' }),
  })
  .openapi('RevealContext');

export type RevealContextView = z.infer<typeof RevealContextSchema>;

/** One entry per event naming a context, in trail order: kept (with what proves it) or erased. */
export function revealContextsView(
  trail: readonly TrailLine[],
  records: readonly RevealContextRecord[],
): RevealContextView[] {
  const byDigest = new Map(records.map((r) => [r.digest, r]));
  return trail.flatMap((event): RevealContextView[] => {
    const digest = event.data?.buyerContextDigest;
    if (typeof digest !== 'string') return [];
    const r = byDigest.get(digest);
    if (r === undefined) return [{ eventId: event.eventId, digest, state: 'erased' as const }];
    return [
      {
        eventId: event.eventId,
        digest,
        state: 'kept' as const,
        source: r.source,
        context: { ...r.context },
        salt: r.salt,
        recordedAt: r.recordedAt,
        erasedAt: r.erasedAt,
      },
    ];
  });
}
