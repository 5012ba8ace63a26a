/**
 * `npm run evidence:verify -- evidence.json [keys.json]`: checks an answer of
 * `GET /v1/orders/{id}/evidence` offline, as the typed client's `verifyEvidence` does (WebCrypto
 * alone). The keys are `GET /v1/evidence-keys`'s JWKS: the second file, or a `jwks` member of the
 * first. Exit 0 when the signature and the chain hold, 1 when not, 2 on a usage error.
 */
import { readFile } from 'node:fs/promises';
import { verifyEvidence } from '../client/index.js';

async function main(args: readonly string[]): Promise<number> {
  const [answerFile, keysFile] = args;
  if (!answerFile) {
    process.stderr.write('usage: npm run evidence:verify -- evidence.json [keys.json]\n');
    return 2;
  }
  const answer = JSON.parse(await readFile(answerFile, 'utf8'));
  const jwks = keysFile ? JSON.parse(await readFile(keysFile, 'utf8')) : answer.jwks;
  if (!jwks?.keys) {
    process.stderr.write(
      'no keys: give the JWKS of GET /v1/evidence-keys as a second file, or as `jwks` in the first\n',
    );
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
