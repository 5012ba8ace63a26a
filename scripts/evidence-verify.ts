/**
 * `npm run evidence:verify -- evidence.json keys.json`: checks an answer of
 * `GET /v1/orders/{id}/evidence` offline, as the typed client's `verifyEvidence` does (WebCrypto
 * alone). The keys are `GET /v1/evidence-keys`'s JWKS, fetched from the vault and kept apart: never
 * keys carried in the evidence file, which a forger would sign with his own.
 * Exit 0 when the signature and the chain hold, 1 when not, 2 on a usage error.
 */
import { readFile } from 'node:fs/promises';
import { verifyEvidence } from '../client/index.js';

async function main(args: readonly string[]): Promise<number> {
  const [answerFile, keysFile] = args;
  if (!answerFile || !keysFile) {
    process.stderr.write(
      'usage: npm run evidence:verify -- evidence.json keys.json (keys.json: GET /v1/evidence-keys)\n',
    );
    return 2;
  }
  const answer = JSON.parse(await readFile(answerFile, 'utf8'));
  const jwks = JSON.parse(await readFile(keysFile, 'utf8'));
  if (!Array.isArray(jwks?.keys)) {
    process.stderr.write('keys.json is not a JWKS: save the answer of GET /v1/evidence-keys\n');
    return 2;
  }
  const verdict = await verifyEvidence(answer, jwks);
  if (verdict.ok) {
    process.stdout.write(`verified: signed by ${verdict.kid}, trail of ${verdict.events} events unbroken\n`);
    return 0;
  }
  process.stdout.write(
    `NOT verified: ${verdict.problem}${verdict.eventId ? ` at ${verdict.eventId}` : ''}\n`,
  );
  return 1;
}

process.exitCode = await main(process.argv.slice(2));
