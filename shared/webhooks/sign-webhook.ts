import { createHmac } from 'node:crypto';

/** The `Card-Vault-Signature` value for `body` sent at `unixSeconds`: one `v1` per valid secret. */
export function signWebhook(body: string, unixSeconds: number, secrets: readonly string[]): string {
  const v1 = secrets.map(
    (s) => `v1=${createHmac('sha256', s).update(`${unixSeconds}.${body}`).digest('hex')}`,
  );
  return [`t=${unixSeconds}`, ...v1].join(',');
}
