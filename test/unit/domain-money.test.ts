import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/domain/errors.js';
import { add, equals, max, money, multiply, percentOf, subtract, zero } from '../../shared/domain/money.js';

const eur = (amount: number) => money(amount, 'EUR');
const usd = (amount: number) => money(amount, 'USD');

describe('money', () => {
  it('holds an integer amount of minor units and a currency', () => {
    expect(money(1999, 'EUR')).toEqual({ amount: 1999, currency: 'EUR' });
  });

  it('accepts zero, negative amounts (balances may go negative) and the largest safe integer', () => {
    expect(money(0, 'EUR').amount).toBe(0);
    expect(money(-250, 'EUR').amount).toBe(-250);
    expect(money(Number.MAX_SAFE_INTEGER, 'EUR').amount).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each([
    ['a float', 19.99],
    ['half a cent', 0.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['an unsafe integer', Number.MAX_SAFE_INTEGER + 1],
    ['an unsafe negative integer', Number.MIN_SAFE_INTEGER - 1],
  ])('refuses %s as an amount', (_, amount) => {
    expect(() => money(amount, 'EUR')).toThrow(ValidationError);
  });

  it.each([
    ['lower case', 'eur'],
    ['too short', 'EU'],
    ['too long', 'EURO'],
    ['empty', ''],
    ['digits', '978'],
    ['padded', ' EUR'],
  ])('refuses a currency that is not a 3-letter ISO 4217 code (%s)', (_, currency) => {
    expect(() => money(100, currency)).toThrow(ValidationError);
  });

  it('refuses with the stable validation code', () => {
    expect(() => money(1.5, 'EUR')).toThrow(expect.objectContaining({ code: 'validation' }));
  });
});

describe('add and subtract', () => {
  it('add sums amounts of the same currency', () => {
    expect(add(eur(1500), eur(250))).toEqual(eur(1750));
  });

  it('subtract takes the second from the first, going negative if need be', () => {
    expect(subtract(eur(1500), eur(250))).toEqual(eur(1250));
    expect(subtract(eur(100), eur(250))).toEqual(eur(-150));
  });

  it('refuses to add or subtract different currencies, naming both', () => {
    expect(() => add(eur(1), usd(1))).toThrow(ValidationError);
    expect(() => subtract(eur(1), usd(1))).toThrow(ValidationError);
    expect(() => add(eur(1), usd(1))).toThrow(/EUR.*USD/);
  });

  it('refuses a sum that leaves the safe-integer range', () => {
    expect(() => add(eur(Number.MAX_SAFE_INTEGER), eur(1))).toThrow(ValidationError);
    expect(() => subtract(eur(Number.MIN_SAFE_INTEGER), eur(1))).toThrow(ValidationError);
  });

  it('does not change its operands', () => {
    const a = eur(100);
    const b = eur(50);
    add(a, b);
    subtract(a, b);
    expect(a).toEqual(eur(100));
    expect(b).toEqual(eur(50));
  });
});

describe('multiply', () => {
  it('multiplies by an integer factor (unit price x quantity)', () => {
    expect(multiply(eur(4500), 3)).toEqual(eur(13_500));
    expect(multiply(eur(4500), 0)).toEqual(eur(0));
  });

  it.each([
    ['a fractional factor', 1.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('refuses %s', (_, factor) => {
    expect(() => multiply(eur(100), factor)).toThrow(ValidationError);
  });

  it('refuses a product that leaves the safe-integer range', () => {
    expect(() => multiply(eur(Number.MAX_SAFE_INTEGER), 2)).toThrow(ValidationError);
  });
});

describe('percentOf', () => {
  it('takes basis points of an amount (1000 bp = 10%)', () => {
    expect(percentOf(eur(4500), 1000)).toEqual(eur(450));
    expect(percentOf(eur(4500), 10_000)).toEqual(eur(4500));
    expect(percentOf(eur(4500), 0)).toEqual(eur(0));
  });

  it('rounds half up to the minor unit', () => {
    expect(percentOf(eur(1005), 1000)).toEqual(eur(101)); // 100.5
    expect(percentOf(eur(1004), 1000)).toEqual(eur(100)); // 100.4
    expect(percentOf(eur(1006), 1000)).toEqual(eur(101)); // 100.6
    expect(percentOf(eur(50), 100)).toEqual(eur(1)); // 0.5
    expect(percentOf(eur(49), 100)).toEqual(eur(0)); // 0.49
  });

  it('is always the nearest integer to the exact percentage', () => {
    for (let amount = 0; amount <= 3000; amount += 13) {
      for (const bp of [1, 33, 250, 1000, 3333, 9999]) {
        const result = percentOf(eur(amount), bp).amount;
        expect(Number.isInteger(result)).toBe(true);
        expect(Math.abs(result - (amount * bp) / 10_000)).toBeLessThanOrEqual(0.5);
      }
    }
  });

  it('keeps the currency', () => {
    expect(percentOf(money(999, 'JPY'), 1000).currency).toBe('JPY');
  });
});

describe('max, equals and zero', () => {
  it('max returns the larger amount', () => {
    expect(max(eur(100), eur(450))).toEqual(eur(450));
    expect(max(eur(450), eur(100))).toEqual(eur(450));
  });

  it('max refuses different currencies', () => {
    expect(() => max(eur(100), usd(100))).toThrow(ValidationError);
  });

  it('equals compares amount and currency', () => {
    expect(equals(eur(100), eur(100))).toBe(true);
    expect(equals(eur(100), eur(101))).toBe(false);
    expect(equals(eur(100), usd(100))).toBe(false);
  });

  it('zero is 0 minor units of a valid currency only', () => {
    expect(zero('EUR')).toEqual(eur(0));
    expect(() => zero('euro')).toThrow(ValidationError);
  });
});
