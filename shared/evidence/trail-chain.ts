/** Lives in the client package (client/evidence/trail-chain.ts), so a marketplace checks evidence with the same code: one copy, re-exported here. */
export * from '../../client/evidence/trail-chain.js';
