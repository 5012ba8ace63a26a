/** How a settled report moves the buyer's record: one counter each. */
export const buyerCreditDeltas = ['upheld', 'rejected', 'escalated'] as const;
export type BuyerCreditDelta = (typeof buyerCreditDeltas)[number];

export interface BuyerCredit {
  readonly buyerId: string;
  readonly reportsTotal: number;
  readonly upheld: number;
  readonly rejected: number;
  readonly escalated: number;
  /** Reports upheld without an issuer redemption time, and escalations refunded by the deadline default. */
  readonly unproven: number;
  readonly rejectionTimes: readonly string[];
  /** When each `unproven` report was decided: from the second in 90 days, such a report is escalated. */
  readonly unprovenTimes: readonly string[];
}
