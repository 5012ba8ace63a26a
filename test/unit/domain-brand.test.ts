import { describe, expect, it } from 'vitest';
import {
  assertValidPatterns,
  checkFormat,
  fingerprintInput,
  last4,
  normalizeCode,
} from '../../shared/domain/brand.js';
import { ValidationError } from '../../shared/domain/errors.js';
import { aBrand } from '../support/builders.js';

describe('normalizeCode', () => {
  it('removes every character that is not a letter or a digit', () => {
    expect(normalizeCode('ab.cd/ef_gh+ij*kl')).toBe('ABCDEFGHIJKL');
  });

  it('upper-cases and removes dashes and spaces', () => {
    expect(normalizeCode('abcd-efgh ijkl-mnop')).toBe('ABCDEFGHIJKLMNOP');
  });

  it('removes every kind of whitespace, including tabs and line breaks', () => {
    expect(normalizeCode(' ab\tcd\nef\r\ngh ')).toBe('ABCDEFGH');
  });

  it('leaves a normalized code unchanged (idempotent)', () => {
    const once = normalizeCode('Ab-12 cD');
    expect(once).toBe('AB12CD');
    expect(normalizeCode(once)).toBe(once);
  });

  it('makes differently typed copies of one code equal (F6 fingerprints)', () => {
    expect(normalizeCode('wxyz-1234-abcd')).toBe(normalizeCode('WXYZ 1234 ABCD'));
  });
});

describe('fingerprintInput', () => {
  it('joins the brand and the normalized code with a NUL, which neither can contain', () => {
    expect(fingerprintInput('demo-gift', 'ABCD1234')).toBe('demo-gift\u0000ABCD1234');
  });

  it('tells the same code of two brands apart', () => {
    expect(fingerprintInput('demo-gift', 'ABCD1234')).not.toBe(fingerprintInput('demo-pin', 'ABCD1234'));
  });

  it('cannot be spelled by another brand and code pair', () => {
    expect(fingerprintInput('ab', 'CD')).not.toBe(fingerprintInput('a', 'BCD'));
  });
});

describe('last4', () => {
  it('is the last four characters of the normalized code', () => {
    expect(last4('ABCDEFGH1234')).toBe('1234');
  });

  it('shows nothing of a code shorter than eight characters, which four characters would half give away', () => {
    expect(last4('AB')).toBe('');
    expect(last4('ABCDEFG')).toBe('');
    expect(last4('ABCDEFGH')).toBe('EFGH');
  });
});

describe('checkFormat', () => {
  const brand = aBrand({ codePattern: '[A-Z0-9]{16}' });

  it('accepts a code that matches the pattern in full', () => {
    expect(checkFormat(brand, 'ABCD1234EFGH5678', undefined)).toBeUndefined();
  });

  it('refuses a code that is too short', () => {
    expect(checkFormat(brand, 'ABCD1234EFGH567', undefined)).toBe('format');
  });

  it('refuses a code with extra characters at the end (anchored at the end)', () => {
    expect(checkFormat(brand, 'ABCD1234EFGH5678X', undefined)).toBe('format');
  });

  it('refuses a code with extra characters at the start (anchored at the start)', () => {
    expect(checkFormat(brand, '!ABCD1234EFGH5678', undefined)).toBe('format');
  });

  it('anchors a pattern with alternatives as a whole, not just its first and last branch', () => {
    const alternatives = aBrand({ codePattern: 'A{4}|B{8}' });
    expect(checkFormat(alternatives, 'AAAA', undefined)).toBeUndefined();
    expect(checkFormat(alternatives, 'BBBBBBBB', undefined)).toBeUndefined();
    expect(checkFormat(alternatives, 'AAAAX', undefined)).toBe('format');
    expect(checkFormat(alternatives, 'XBBBBBBBB', undefined)).toBe('format');
  });

  it('expects a normalized code: a lower-case code fails an upper-case pattern', () => {
    expect(checkFormat(brand, 'abcd1234efgh5678', undefined)).toBe('format');
    expect(checkFormat(brand, normalizeCode('abcd-1234-efgh-5678'), undefined)).toBeUndefined();
  });

  it('ignores the PIN when the brand uses none', () => {
    expect(checkFormat(brand, 'ABCD1234EFGH5678', undefined)).toBeUndefined();
    expect(checkFormat(brand, 'ABCD1234EFGH5678', '1234')).toBeUndefined();
  });

  describe('for a brand with PINs', () => {
    const withPin = aBrand({ codePattern: '[A-Z0-9]{16}', pinPattern: '\\d{4}' });

    it('accepts a code with a matching PIN', () => {
      expect(checkFormat(withPin, 'ABCD1234EFGH5678', '0042')).toBeUndefined();
    });

    it('requires the PIN', () => {
      expect(checkFormat(withPin, 'ABCD1234EFGH5678', undefined)).toBe('format');
    });

    it('refuses a PIN that does not match in full', () => {
      expect(checkFormat(withPin, 'ABCD1234EFGH5678', '12345')).toBe('format');
      expect(checkFormat(withPin, 'ABCD1234EFGH5678', 'x1234')).toBe('format');
      expect(checkFormat(withPin, 'ABCD1234EFGH5678', '12a4')).toBe('format');
      expect(checkFormat(withPin, 'ABCD1234EFGH5678', '')).toBe('format');
    });

    it('still refuses a bad code with a good PIN', () => {
      expect(checkFormat(withPin, 'SHORT', '1234')).toBe('format');
    });
  });
});

describe('assertValidPatterns', () => {
  it('accepts printable ASCII patterns that compile', () => {
    expect(() =>
      assertValidPatterns({ codePattern: 'DEMO[A-Z0-9]{12}', pinPattern: '\\d{4}' }),
    ).not.toThrow();
    expect(() => assertValidPatterns({ codePattern: '[A-Z0-9]{16}' })).not.toThrow();
  });

  it.each([
    ['a full-width letter', 'ＤEMO[A-Z0-9]{12}'],
    ['a Unicode dash', 'DEMO\u2013[A-Z0-9]{12}'],
    ['a zero-width space', 'DEMO\u200b[A-Z0-9]{12}'],
    ['a Latin-1 letter', 'CAFÉ[0-9]{4}'],
    ['a control character', 'DEMO\t[A-Z]{4}'],
  ])('refuses a code pattern with %s', (_label, codePattern) => {
    expect(() => assertValidPatterns({ codePattern })).toThrow(ValidationError);
    expect(() => assertValidPatterns({ codePattern })).toThrow(/codePattern must be printable ASCII/);
  });

  it('refuses a non-ASCII PIN pattern too', () => {
    expect(() => assertValidPatterns({ codePattern: '[A-Z]{8}', pinPattern: '[０-９]{4}' })).toThrow(
      /pinPattern must be printable ASCII/,
    );
  });

  it('refuses a pattern that does not compile, keeping the cause', () => {
    let thrown: unknown;
    try {
      assertValidPatterns({ codePattern: '[A-Z' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as Error).cause).toBeInstanceOf(SyntaxError);
  });
});
