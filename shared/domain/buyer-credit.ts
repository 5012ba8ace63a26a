/** How a settled report moves the buyer's record: one counter each. */
export const buyerCreditDeltas = ['upheld', 'rejected', 'escalated'] as const;
export type BuyerCreditDelta = (typeof buyerCreditDeltas)[number];

export interface BuyerCredit {
  readonly buyerId: string;
  readonly reportsTotal: number;
  readonly upheld: number;
  readonly rejected: number;
  readonly escalated: number;
  readonly rejectionTimes: readonly string[];
}
