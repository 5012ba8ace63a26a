import type { z } from '@hono/zod-openapi';
import type { Money } from '../../domain/money.js';
import type { MoneySchema } from '../schemas.js';

export function moneyView(m: Money): z.infer<typeof MoneySchema> {
  return { amount: m.amount, currency: m.currency };
}
