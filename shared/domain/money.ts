import { ValidationError } from './errors.js';

/** Money in integer minor units (cents) of an ISO 4217 currency. Never a float. */
export interface Money {
  readonly amount: number;
  readonly currency: string;
}

export function money(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount))
    throw new ValidationError('amount must be an integer number of minor units');
  if (!/^[A-Z]{3}$/.test(currency)) throw new ValidationError('currency must be an ISO 4217 code');
  return { amount, currency };
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency)
    throw new ValidationError(`currency mismatch: ${a.currency} vs ${b.currency}`);
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount + b.amount, a.currency);
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount - b.amount, a.currency);
}

export function multiply(a: Money, factor: number): Money {
  if (!Number.isSafeInteger(factor)) throw new ValidationError('factor must be an integer');
  return money(a.amount * factor, a.currency);
}

/** `basisPoints` of `a` (1% = 100 bp), rounded half up to the minor unit. */
export function percentOf(a: Money, basisPoints: number): Money {
  return money(Math.round((a.amount * basisPoints) / 10_000), a.currency);
}

export function max(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return a.amount >= b.amount ? a : b;
}

export function equals(a: Money, b: Money): boolean {
  return a.amount === b.amount && a.currency === b.currency;
}

export function zero(currency: string): Money {
  return money(0, currency);
}
