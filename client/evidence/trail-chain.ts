import { canonicalize } from './canonical-json.js';

/**
 * The hash chain over an order's trail (docs/design.md "Evidence"), checked with WebCrypto alone
 * so the typed client can re-export it. Each line is an event as `GET /v1/orders/{id}/events`
 * shows it: `hash` is the lower-case hex SHA-256 of the RFC 8785 form of the line without `hash`
 * (so `prevHash` is covered), and `prevHash` is the previous line's `hash`, absent on the first.
 */
export interface ChainedLine {
  readonly eventId: string;
  readonly prevHash?: string;
  readonly hash?: string;
}

/** What a line's hash is taken over: its canonical JSON without `hash`. */
export function chainInput(line: ChainedLine): string {
  const { hash: _own, ...rest } = line;
  return canonicalize(rest);
}

export type ChainBreak = 'no-hash' | 'hash-mismatch' | 'first-has-prev' | 'broken-link' | 'head-mismatch';

export type ChainVerdict =
  | { readonly ok: true; readonly head: string | undefined }
  | { readonly ok: false; readonly index: number; readonly eventId?: string; readonly problem: ChainBreak };

/**
 * Checks the lines in the order given: every hash recomputed, every link to the line before,
 * and, when `head` is given (the order's `trailHead`, signed in the bundle), that the last line
 * is the head, so a line removed from the end is found too.
 */
export async function verifyTrail(lines: readonly ChainedLine[], head?: string): Promise<ChainVerdict> {
  let previous: string | undefined;
  for (const [index, line] of lines.entries()) {
    const broken = (problem: ChainBreak): ChainVerdict => ({
      ok: false,
      index,
      eventId: line.eventId,
      problem,
    });
    if (typeof line.hash !== 'string') return broken('no-hash');
    if (index === 0 && line.prevHash !== undefined) return broken('first-has-prev');
    if (index > 0 && line.prevHash !== previous) return broken('broken-link');
    if ((await sha256Hex(chainInput(line))) !== line.hash) return broken('hash-mismatch');
    previous = line.hash;
  }
  if (head !== undefined && previous !== head) {
    return { ok: false, index: lines.length, problem: 'head-mismatch' };
  }
  return { ok: true, head: previous };
}

/**
 * The lines in chain order, walked back from `head`. Event ids sort by time, but two lines written
 * in the same millisecond (or by hosts whose clocks differ) may sort either way, so the chain, not
 * the id, says which came first. Lines off the chain come last, in the order given, so a verifier
 * still sees (and refuses) them.
 */
export function chainOrder<L extends ChainedLine>(lines: readonly L[], head: string | undefined): L[] {
  const byHash = new Map<string, L>();
  for (const line of lines) if (typeof line.hash === 'string') byHash.set(line.hash, line);
  const walked: L[] = [];
  const seen = new Set<L>();
  let at = head;
  while (at !== undefined) {
    const line = byHash.get(at);
    if (!line || seen.has(line)) break;
    walked.push(line);
    seen.add(line);
    at = line.prevHash;
  }
  walked.reverse();
  return [...walked, ...lines.filter((l) => !seen.has(l))];
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
