import { parseArgs } from 'node:util';

/** The soak's scale: issue 8 item 6 by default, `--quick` a short run; each count a flag of its own. */
export interface SoakConfig {
  /** Listings the racing orders are placed on, each stocked with `cardsPerListing` cards. */
  readonly listings: number;
  readonly cardsPerListing: number;
  /** Orders racing for the cards (more than there are, so some must answer out-of-stock). */
  readonly orders: number;
  /** Reveal requests racing over the orders that were placed and paid. */
  readonly reveals: number;
  /** Same-reference callbacks per order in a payment storm (plus one wrong amount and one reused reference). */
  readonly duplicatePayments: number;
  readonly concurrency: number;
  /** Past this, no new phase starts and the run says it stopped early (the checks still run). */
  readonly maxSeconds: number;
}

const PRESETS = {
  full: {
    listings: 50,
    cardsPerListing: 10,
    orders: 1_000,
    reveals: 10_000,
    duplicatePayments: 6,
    concurrency: 32,
    maxSeconds: 900,
  },
  quick: {
    listings: 5,
    cardsPerListing: 10,
    orders: 100,
    reveals: 1_000,
    duplicatePayments: 4,
    concurrency: 16,
    maxSeconds: 120,
  },
} as const satisfies Record<string, SoakConfig>;

/** `npm run soak -- [--quick] [--listings N] [--cards-per-listing N] [--orders N] [--reveals N] ...` */
export function loadSoakConfig(argv: readonly string[]): SoakConfig {
  const counts = [
    'listings',
    'cards-per-listing',
    'orders',
    'reveals',
    'duplicate-payments',
    'concurrency',
    'max-seconds',
  ];
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean' },
      ...Object.fromEntries(counts.map((name) => [name, { type: 'string' as const }])),
    },
    strict: true,
  });
  const preset: SoakConfig = values.quick ? PRESETS.quick : PRESETS.full;
  const count = (flag: string, fallback: number) => {
    const given = (values as Record<string, unknown>)[flag];
    if (typeof given !== 'string') return fallback;
    const n = Number(given);
    if (!Number.isInteger(n) || n < 1 || n > 1_000_000)
      throw new Error(`--${flag} must be a whole number from 1 to 1000000`);
    return n;
  };
  return {
    listings: count('listings', preset.listings),
    cardsPerListing: count('cards-per-listing', preset.cardsPerListing),
    orders: count('orders', preset.orders),
    reveals: count('reveals', preset.reveals),
    duplicatePayments: count('duplicate-payments', preset.duplicatePayments),
    concurrency: count('concurrency', preset.concurrency),
    maxSeconds: count('max-seconds', preset.maxSeconds),
  };
}
