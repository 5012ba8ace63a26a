import { ValidationError } from './errors.js';
import type { IssuerAnswerKey } from './issuer-answer.js';
import type { IssuerAuth } from './issuer-auth.js';

/** A card brand the deployment accepts, and which issuer checks its codes. */
export interface Brand {
  readonly brand: string;
  readonly issuerUrl: string;
  /** Regular expression a normalized code must match in full. */
  readonly codePattern: string;
  /** Regular expression a PIN must match, when the brand uses PINs. */
  readonly pinPattern?: string;
  /** How the vault authenticates to the issuer; absent means `none` (local stack only). */
  readonly auth?: IssuerAuth;
  /** The issuer's public keys for signed answers (one, or two during a rotation). */
  readonly answerKeys?: readonly IssuerAnswerKey[];
  /** An answer without a valid signature by one of `answerKeys` is a misbehaving issuer's. */
  readonly requireSignedAnswers?: boolean;
  readonly createdAt: string;
}

/**
 * Codes are compared, fingerprinted and checked in one canonical form (F6). NFKC first folds
 * full-width and compatibility forms into their plain letters and digits; then everything that
 * is not a letter or a digit goes, so no dash, space or zero-width character a person or a
 * fraudster types makes a second spelling of one code.
 */
export function normalizeCode(code: string): string {
  return code
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}]/gu, '')
    .toUpperCase();
}

/**
 * What is fingerprinted for a code: the brand and the normalized code together, so equal codes of
 * two brands stay two cards. NUL cannot occur in either part, so no pair spells another pair.
 */
export function fingerprintInput(brand: string, normalizedCode: string): string {
  return `${brand}\u0000${normalizedCode}`;
}

/**
 * A brand's patterns must compile and be plain printable ASCII: codes are matched in normalized
 * form, so a pattern with look-alike or compatibility characters (which NFKC folds away) could
 * never match, or would match something else than it reads. Throws `ValidationError`, so a bad
 * pattern fails at registration, not at the first deposit.
 */
export function assertValidPatterns(brand: Pick<Brand, 'codePattern' | 'pinPattern'>): void {
  for (const [field, pattern] of [
    ['codePattern', brand.codePattern],
    ['pinPattern', brand.pinPattern],
  ] as const) {
    if (pattern === undefined) continue;
    if (!/^[\x20-\x7e]*$/.test(pattern)) {
      throw new ValidationError(`${field} must be printable ASCII`, { field });
    }
    try {
      new RegExp(`^(?:${pattern})$`);
    } catch (error) {
      throw new ValidationError(
        `${field} is not a valid regular expression: ${pattern}`,
        { field },
        { cause: error },
      );
    }
  }
}

/** Codes shorter than this show no last 4: they would give away too much of the code. */
const MIN_LENGTH_FOR_LAST4 = 8;

export function last4(normalizedCode: string): string {
  return normalizedCode.length >= MIN_LENGTH_FOR_LAST4 ? normalizedCode.slice(-4) : '';
}

export type FormatProblem = 'format' | undefined;

export function checkFormat(brand: Brand, normalizedCode: string, pin: string | undefined): FormatProblem {
  if (!new RegExp(`^(?:${brand.codePattern})$`).test(normalizedCode)) return 'format';
  if (brand.pinPattern !== undefined) {
    if (pin === undefined || !new RegExp(`^(?:${brand.pinPattern})$`).test(pin)) return 'format';
  }
  return undefined;
}
