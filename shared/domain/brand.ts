/** A card brand the deployment accepts, and which issuer checks its codes. */
export interface Brand {
  readonly brand: string;
  readonly issuerUrl: string;
  /** Regular expression a normalized code must match in full. */
  readonly codePattern: string;
  /** Regular expression a PIN must match, when the brand uses PINs. */
  readonly pinPattern?: string;
  readonly createdAt: string;
}

/** Codes are compared, fingerprinted and checked in one canonical form: upper case, no separators. */
export function normalizeCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
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
