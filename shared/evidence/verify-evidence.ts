/** Lives in the client package (client/evidence/verify-evidence.ts), so a marketplace checks evidence with the same code: one copy, re-exported here. */
export * from '../../client/evidence/verify-evidence.js';
