import { ValidationError } from './errors.js';

/**
 * Where an issuer may be reached (issue 21, item 1). `aws`: https only, never a loopback or
 * link-local (instance metadata) host, since codes travel in the request body. `local` (the
 * local stack and its tests): http is allowed too, but only to a loopback host, so a typo never
 * sends codes in the clear across a network. In both, a URL carries no credentials, query or
 * fragment: secrets belong in the brand's auth, where logs and error messages never show them.
 */
export const issuerUrlModes = ['aws', 'local'] as const;
export type IssuerUrlMode = (typeof issuerUrlModes)[number];

/** The issuer base URL, checked for `mode`, without a trailing slash; or a `ValidationError` naming the field. */
export function checkIssuerUrl(raw: string, mode: IssuerUrlMode): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refused('the issuer URL is not a URL');
  }
  if (url.username || url.password) throw refused('the issuer URL must not carry credentials');
  if (url.search || url.hash || raw.includes('?') || raw.includes('#')) {
    throw refused('the issuer URL must not carry a query or a fragment');
  }
  // `localhost.` is `localhost`: the checks read the name without its root dot.
  const host = url.hostname.replace(/\.+$/, '');
  const loopback = isLoopback(host);
  if (mode === 'aws' && (loopback || isLinkLocal(host))) {
    throw refused('the issuer URL points at a loopback or link-local host (allowed only in local mode)');
  }
  if (mode === 'aws' && isPrivateLiteral(host)) {
    throw refused('the issuer URL points at a private or non-global address (an issuer is on the internet)');
  }
  if (url.protocol === 'https:') return url.href.replace(/\/+$/, '');
  if (url.protocol === 'http:' && mode === 'local' && loopback) return url.href.replace(/\/+$/, '');
  throw refused(
    mode === 'local'
      ? 'the issuer URL must be https (http only to a loopback host in local mode)'
      : 'the issuer URL must be https',
  );
}

const refused = (message: string) => new ValidationError(message, { field: 'issuerUrl' });

// The URL parser has already folded every spelling of an IPv4 address (127.1, 0x7f.1) into
// dotted decimal and lower-cased the host, so plain string checks are exact here.
function isLoopback(host: string): boolean {
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127\.\d+\.\d+\.\d+$/.test(host) ||
    host === '[::1]' ||
    /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(host)
  );
}

function isLinkLocal(host: string): boolean {
  return /^169\.254\.\d+\.\d+$/.test(host) || /^\[fe[89ab][0-9a-f]:/.test(host) || host === '0.0.0.0';
}

/**
 * An address literal no issuer on the internet has: IPv4 private, shared (CGNAT) and "this
 * network" ranges; any IPv6 literal outside global unicast (2000::/3), which covers unspecified,
 * IPv4-compatible and -mapped, unique-local and site-local forms. Names are not resolved here
 * (the domain does no I/O): a name that resolves to such an address is the connection's to refuse.
 */
function isPrivateLiteral(host: string): boolean {
  const v4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 0 ||
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  const v6 = /^\[([0-9a-f:.]*)\]$/.exec(host);
  if (!v6) return false;
  const first = v6[1]?.split(':')[0] ?? '';
  // A leading "::" (empty first group) is 0000: never global unicast.
  const value = first === '' ? 0 : Number.parseInt(first, 16);
  return !(value >= 0x2000 && value <= 0x3fff);
}
