import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type ConformanceOptions, runIssuerConformance } from '../shared/conformance/issuer-conformance.js';
import { checkAnswerKey } from '../shared/domain/issuer-answer.js';

const USAGE = `Usage:
  npm run issuer:conformance -- --url <bridge URL> --brand <brand>
      [--auth hmac --key-id <id> --secret-env <VAR> | --auth bearer --secret-env <VAR>]
      [--answer-key <JWK or JWK file> ...]

Runs the issuer protocol's cases (docs/issuer-protocol.md "Conformance kit") against a bridge's
sandbox with its magic test codes, prints a pass/fail table, exits 1 if a case fails.
--secret-env names the environment variable holding the secret: a value on a command line lands
in shell history.`;

/** `npm run issuer:conformance`: exit 0 when every case passes, 1 when one fails, 2 on bad usage. */
async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      brand: { type: 'string' },
      auth: { type: 'string' },
      'key-id': { type: 'string' },
      'secret-env': { type: 'string' },
      'answer-key': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.url || !values.brand) return usage();
  const secret = values['secret-env'] === undefined ? undefined : process.env[values['secret-env']];
  let auth: ConformanceOptions['auth'];
  if (values.auth !== undefined) {
    if (!secret) return usage(`--auth ${values.auth} needs --secret-env naming a set variable`);
    if (values.auth === 'bearer') auth = { kind: 'bearer', secret };
    else if (values.auth === 'hmac' && values['key-id'])
      auth = { kind: 'hmac', keyId: values['key-id'], secret };
    else return usage();
  }
  const answerKeys = await Promise.all(
    (values['answer-key'] ?? []).map(async (value) =>
      checkAnswerKey(JSON.parse(value.trimStart().startsWith('{') ? value : await readFile(value, 'utf8'))),
    ),
  );
  const rows = await runIssuerConformance({
    url: values.url,
    brand: values.brand,
    ...(auth !== undefined && { auth }),
    answerKeys,
  });
  const width = (pick: (r: (typeof rows)[number]) => string, title: string) =>
    Math.max(title.length, ...rows.map((r) => pick(r).length));
  const nameWidth = width((r) => r.name, 'case');
  const codeWidth = width((r) => r.code ?? '', 'code');
  const line = (a: string, b: string, c: string, d: string) =>
    `${a.padEnd(nameWidth)}  ${b.padEnd(codeWidth)}  ${c.padEnd(6)}  ${d}`.trimEnd();
  console.log(line('case', 'code', 'result', 'reason'));
  for (const r of rows) console.log(line(r.name, r.code ?? '', r.result.toUpperCase(), r.reason));
  const failed = rows.filter((r) => r.result === 'fail').length;
  console.log(
    failed === 0 ? `\nall ${rows.length} cases pass (skipped ones aside)` : `\n${failed} case(s) fail`,
  );
  return failed === 0 ? 0 : 1;
}

function usage(why?: string): number {
  console.error(why ? `${why}\n\n${USAGE}` : USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
