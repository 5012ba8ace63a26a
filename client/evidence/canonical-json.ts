/**
 * RFC 8785 (JSON Canonicalization Scheme) for the values the vault signs and hashes: plain
 * objects, arrays, strings, finite numbers, booleans and null. Written here rather than taken
 * from a package because it is this small, and because the typed client re-exports it, which
 * must stay free of dependencies (see `.dependency-cruiser.cjs`, `client-stands-alone`).
 *
 * - Object members are sorted by their names' UTF-16 code units (JavaScript's `<` on strings).
 * - Numbers are written as ECMAScript writes them (`JSON.stringify`), which is what RFC 8785 asks.
 * - Strings are escaped as `JSON.stringify` escapes them; a lone surrogate is refused (I-JSON).
 * - An object member whose value is `undefined` is left out, as JSON.stringify leaves it out, so an
 *   optional field that is absent and one that is `undefined` hash alike.
 */
export class CanonicalJsonError extends Error {
  override readonly name = 'CanonicalJsonError';
}

export function canonicalize(value: unknown): string {
  switch (typeof value) {
    case 'string':
      if (LONE_SURROGATE.test(value)) throw new CanonicalJsonError('a string holds a lone surrogate');
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${value} has no JSON form`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return `[${value.map(element).join(',')}]`;
      return canonicalObject(value);
    default:
      throw new CanonicalJsonError(`a ${typeof value} has no JSON form`);
  }
}

function element(value: unknown): string {
  if (value === undefined) throw new CanonicalJsonError('an array holds undefined');
  return canonicalize(value);
}

function canonicalObject(value: object): string {
  const proto = Object.getPrototypeOf(value);
  // A Date or a Map would not come back as it went in: only plain data is canonical.
  if (proto !== Object.prototype && proto !== null) {
    throw new CanonicalJsonError('only plain objects have a canonical form');
  }
  const members = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${members.map(([k, v]) => `${canonicalize(k)}:${canonicalize(v)}`).join(',')}}`;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
