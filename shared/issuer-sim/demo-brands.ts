import { randomInt } from 'node:crypto';
import type { Brand } from '../domain/brand.js';
import type { IssuerAnswerKey } from '../domain/issuer-answer.js';

/** How the simulated issuer formats one brand's codes. */
export interface DemoBrandFormat {
  readonly brand: string;
  /** Fixed start of every normalized code; distinct per brand so codes never collide. */
  readonly prefix: string;
  /** Matches the normalized code in full: `prefix` + 12 characters. */
  readonly codePattern: string;
  readonly pinPattern?: string;
}

/** Code characters: A-Z and 2-9 without 0/O and 1/I/L, which people misread when retyping. */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** The brand the local stack seeds: codes like `DEMO-ABCD-EFGH-JKMN`, no PIN. */
export const DEMO_GIFT_BRAND = {
  brand: 'demo-gift',
  prefix: 'DEMO',
  codePattern: 'DEMO[A-Z0-9]{12}',
} as const satisfies DemoBrandFormat;

/** A brand whose cards carry a 4-digit PIN, to exercise PIN handling: codes like `DPIN-...`. */
export const DEMO_PIN_BRAND = {
  brand: 'demo-pin',
  prefix: 'DPIN',
  codePattern: 'DPIN[A-Z0-9]{12}',
  pinPattern: '[0-9]{4}',
} as const satisfies DemoBrandFormat;

export const DEMO_BRANDS: readonly DemoBrandFormat[] = [DEMO_GIFT_BRAND, DEMO_PIN_BRAND];

/** The {@link Brand} record for a demo brand checked by a simulator reachable at `issuerUrl`. */
export function demoBrand(
  format: DemoBrandFormat,
  issuerUrl: string,
  createdAt: string = new Date().toISOString(),
  /** The simulator's answer key: the brand then requires every answer signed by it. */
  answerKey?: IssuerAnswerKey,
): Brand {
  return {
    ...(answerKey !== undefined && { answerKeys: [answerKey], requireSignedAnswers: true }),
    brand: format.brand,
    issuerUrl,
    codePattern: format.codePattern,
    ...(format.pinPattern !== undefined && { pinPattern: format.pinPattern }),
    createdAt,
  };
}

/** A fresh random code in display form (`PREFIX-XXXX-XXXX-XXXX`); `normalizeCode` strips the dashes. */
export function mintCode(format: DemoBrandFormat): string {
  const groups: string[] = [];
  for (let g = 0; g < 3; g++) {
    let group = '';
    for (let i = 0; i < 4; i++) group += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
    groups.push(group);
  }
  return [format.prefix, ...groups].join('-');
}

/** A fresh PIN when the brand uses PINs (all demo PINs are 4 digits). */
export function mintPin(format: DemoBrandFormat): string | undefined {
  if (format.pinPattern === undefined) return undefined;
  return String(randomInt(10_000)).padStart(4, '0');
}
