import { readFile } from 'node:fs/promises';
import {
  CardVaultClient,
  CardVaultProblem,
  type EvidenceAnswer,
  type Jwks,
  verifyEvidence,
} from '../client/index.js';
import { loadDemoConfig } from '../shared/config/tool-config.js';

/**
 * `npm run demo`: against a running local stack (`npm start`), walks one honest sale and two
 * frauds, printing each step and the vault's answer. Uses only the typed client over the public
 * HTTP API (client/, what a marketplace would use) and the simulated issuer, as a card shop would.
 */
const { apiUrl: api, issuerUrl: issuer, devApiKey } = loadDemoConfig();
const apiKey =
  devApiKey ??
  (await readFile('.data/dev-api-key', 'utf8').then(
    (s) => s.trim(),
    () => '',
  ));
if (!apiKey) fail('no API key: set DEV_API_KEY to the key npm start printed');

type Json = Record<string, any>;
const run = Date.now().toString(36);
let step = 0;
const vault = new CardVaultClient({ baseUrl: api, apiKey });

/** A call's answer as the demo prints it: `ok` and the body, or the problem's status and code. */
async function call<T>(
  work: () => Promise<T>,
): Promise<{ status: string; body: Json; problem?: CardVaultProblem }> {
  try {
    return { status: 'ok', body: (await work()) as Json };
  } catch (error) {
    if (error instanceof CardVaultProblem) {
      return { status: `${error.status} ${error.code}`, body: error.problem as Json, problem: error };
    }
    return fail(`cannot reach the vault at ${api}: is npm start running? (${String(error)})`);
  }
}

async function shop(path: string, body: unknown): Promise<Json> {
  const response = await fetch(`${issuer}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Json;
}

function say(title: string, status: number | string, detail: string): void {
  console.log(`  ${String(++step).padStart(2)}. ${title.padEnd(46)} -> ${status}  ${detail}`);
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

async function listingWithFreshCard(sellerId: string) {
  const listing = await call(() =>
    vault.createListing({
      sellerId,
      brand: 'demo-gift',
      faceValue: { amount: 5000, currency: 'EUR' },
      price: { amount: 4500, currency: 'EUR' },
      title: '50 EUR demo gift card',
    }),
  );
  say(`seller ${sellerId} lists a 50 EUR card for 45 EUR`, listing.status, listing.body.listingId);
  const card = await shop('/cards', { brand: 'demo-gift', amount: 5000, currency: 'EUR' });
  const deposit = await call(() =>
    vault.depositCards({ listingId: listing.body.listingId }, { cards: [{ code: card.code }] }),
  );
  const result = deposit.body.results?.[0] ?? {};
  say(
    'seller deposits the code (checked with the issuer)',
    deposit.status,
    `${result.outcome} ****${result.last4}`,
  );
  return { listingId: listing.body.listingId as string, code: card.code as string };
}

async function orderAndPay(listingId: string, buyerId: string) {
  const order = await call(() => vault.placeOrder({ listingId, buyerId }));
  say(`buyer ${buyerId} orders`, order.status, order.body.state);
  console.log(`        seller sees: "${order.body.sellerMessage}"`);
  const paid = await call(() =>
    vault.recordPayment(
      { orderId: order.body.orderId },
      { paymentRef: `pay-${run}-${buyerId}`, amount: order.body.amount },
    ),
  );
  say('payment clears into escrow', paid.status, paid.body.state);
  return order.body.orderId as string;
}

console.log(`card-vault demo against ${api}\n\n1) An honest sale`);
{
  const seller = `alice-${run}`;
  const { listingId } = await listingWithFreshCard(seller);
  const orderId = await orderAndPay(listingId, `bob-${run}`);
  const revealed = await call(() => vault.revealOrder({ orderId }, { buyerId: `bob-${run}` }));
  say(
    'buyer reveals the code (re-checked first)',
    revealed.status,
    `code ${revealed.body.cards?.[0]?.code ?? '?'}`,
  );
  const again = await call(() => vault.revealOrder({ orderId }, { buyerId: `bob-${run}` }));
  say('a second reveal is refused', again.status, again.body.detail ?? '');
  const confirmed = await call(() => vault.confirmOrder({ orderId }, { buyerId: `bob-${run}` }));
  say('buyer confirms: escrow released', confirmed.status, confirmed.body.state);
  const standing = await call(() => vault.getSeller({ sellerId: seller }));
  say('seller balance', standing.status, JSON.stringify(standing.body.balance));
}

console.log('\n2) Fraud: the seller redeems the code after depositing it (F7)');
{
  const seller = `mallory-${run}`;
  const { listingId, code } = await listingWithFreshCard(seller);
  await shop('/cards/redeem', { code });
  say('seller secretly redeems the code at the shop', 200, 'the vault does not know yet');
  const orderId = await orderAndPay(listingId, `carol-${run}`);
  const reveal = await call(() => vault.revealOrder({ orderId }, { buyerId: `carol-${run}` }));
  say('buyer tries to reveal', reveal.status, `no code shown, refund ${reveal.body.refund?.amount}`);
  const standing = await call(() => vault.getSeller({ sellerId: seller }));
  say(
    'seller penalised',
    standing.status,
    `strikes ${standing.body.strikes}, balance ${JSON.stringify(standing.body.balance)}`,
  );
}

console.log('\n3) Fraud: the buyer reports a code that still works (F5)');
{
  const { listingId } = await listingWithFreshCard(`dave-${run}`);
  const buyer = `eve-${run}`;
  const orderId = await orderAndPay(listingId, buyer);
  const revealed = await call(() => vault.revealOrder({ orderId }, { buyerId: buyer }));
  say('buyer reveals the code', revealed.status, 'and keeps it unused');
  const report = await call(() =>
    vault.reportCard(
      { orderId },
      { buyerId: buyer, cardId: revealed.body.cards?.[0]?.cardId, reason: 'already_redeemed' },
    ),
  );
  say(
    'buyer claims it was already used',
    report.status,
    `${report.body.decision}: ${report.body.evidence?.rationale}`,
  );
  const credit = await call(() => vault.getBuyer({ buyerId: buyer }));
  say(
    "buyer's report history",
    credit.status,
    `total ${credit.body.reportsTotal}, rejected ${credit.body.rejected}`,
  );
  const events = await call(() => vault.listOrderEvents({ orderId }));
  say('the audit trail', events.status, (events.body.events as Json[]).map((e) => e.type).join(' > '));
  // What the marketplace hands its payment processor when this buyer files a chargeback anyway.
  const evidence = await call(() => vault.getOrderEvidence({ orderId }));
  const keys = await call(() => vault.listEvidenceKeys());
  const verdict = await verifyEvidence(evidence.body as EvidenceAnswer, keys.body as Jwks);
  const bundle = evidence.body.bundle as Json;
  say(
    'the signed evidence bundle',
    evidence.status,
    `${bundle.trail.length} chained events, ${bundle.issuerChecks.length} issuer checks, ` +
      `${bundle.reports.length} report(s): ${verdict.ok ? `verified (kid ${verdict.kid.slice(0, 8)}…)` : `NOT verified (${verdict.problem})`}`,
  );
  for (const r of bundle.reports as Json[])
    console.log(`        report ${r.decision}: ${r.evidence.rationale}`);
  console.log(`        jws: ${String(evidence.body.jws).slice(0, 60)}…`);
}
console.log(
  "\n4) Hosted pages: the buyer reveals on the vault's own page, the marketplace never sees the code",
);
{
  const seller = `erin-${run}`;
  const buyer = `frank-${run}`;
  const { listingId } = await listingWithFreshCard(seller);
  const orderId = await orderAndPay(listingId, buyer);
  const link = await call(() => vault.createRevealLink({ orderId }, { buyerId: buyer }));
  say('the marketplace asks for a reveal link', link.status, `expires ${link.body.expiresAt}`);
  const deposit = await call(() => vault.createDepositLink({ listingId }, { sellerId: seller }));
  say('and a deposit link for the seller', deposit.status, `expires ${deposit.body.expiresAt}`);
  console.log(`        open the reveal page (press "Reveal code"): ${link.body.url}`);
  console.log(`        open the deposit page (paste codes):        ${deposit.body.url}`);
}
console.log(
  '\nDone. Every step above went through the typed client (client/); README "A sale with curl" does one with curl.',
);
