import { createHmac, timingSafeEqual } from 'node:crypto';

/** What the simulated issuer requires of one brand's checks (`/_sim/auth`). */
export interface SimAuth {
  readonly hmac?: { readonly keyId: string; readonly secret: string };
  readonly bearer?: string;
}

/** How old (or new) a signature's timestamp may be, as for the vault's webhooks. */
const TOLERANCE_SECONDS = 300;

/**
 * Why a check fails the brand's auth, or undefined when it passes. Written from
 * docs/issuer-protocol.md "Authentication", apart from the vault's signer, so the simulator
 * checks the vault against the specification rather than against itself.
 */
export function authFailure(
  required: SimAuth | undefined,
  headers: { signature?: string | undefined; authorization?: string | undefined },
  body: string,
  nowSeconds: number,
): string | undefined {
  if (required === undefined) return undefined;
  if (required.bearer !== undefined) {
    const presented = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
    if (presented === undefined) return 'no bearer token';
    if (!same(presented, required.bearer)) return 'wrong bearer token';
  }
  if (required.hmac !== undefined) {
    if (!headers.signature) return 'no Card-Vault-Signature';
    const parts = new Map(
      headers.signature.split(',').map((part) => {
        const at = part.indexOf('=');
        return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
      }),
    );
    const t = parts.get('t');
    if (t === undefined || !/^\d+$/.test(t)) return 'no timestamp in the signature';
    if (Math.abs(nowSeconds - Number(t)) > TOLERANCE_SECONDS)
      return 'signature timestamp outside the tolerance';
    if (parts.get('kid') !== required.hmac.keyId) return 'unknown key id';
    const expected = createHmac('sha256', required.hmac.secret).update(`${t}.${body}`).digest('hex');
    if (!same(parts.get('v1') ?? '', expected)) return 'bad signature';
  }
  return undefined;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
