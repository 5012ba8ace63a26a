import type { Money } from '../../domain/money.js';
import type { MoneySchema } from '../schemas.js';
import type * as z from '../zod.js';

export function moneyView(m: Money): z.infer<typeof MoneySchema> {
  return { amount: m.amount, currency: m.currency };
}
