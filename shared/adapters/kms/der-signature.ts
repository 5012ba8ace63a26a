/**
 * KMS answers ECDSA signatures as DER (`SEQUENCE { INTEGER r, INTEGER s }`); JOSE wants `r || s`,
 * each left-padded to the curve's size (32 bytes for P-256). DER integers are signed, so a value
 * with its top bit set carries a leading zero byte, which is dropped here.
 */
export function derToJose(der: Uint8Array, size = 32): Uint8Array {
  let at = 0;
  const byte = (): number => {
    const b = der[at++];
    if (b === undefined) throw new Error('the DER signature ends early');
    return b;
  };
  const length = (): number => {
    const first = byte();
    if (first < 0x80) return first;
    if (first !== 0x81) throw new Error('the DER signature is longer than an ECDSA signature can be');
    return byte();
  };
  if (byte() !== 0x30) throw new Error('the DER signature is not a SEQUENCE');
  if (length() !== der.length - at) throw new Error('the DER signature has a wrong length');
  const integer = (): Uint8Array => {
    if (byte() !== 0x02) throw new Error('the DER signature holds a non-INTEGER');
    const n = length();
    let value = der.subarray(at, at + n);
    at += n;
    while (value.length > size && value[0] === 0) value = value.subarray(1);
    if (value.length > size || value.length === 0) throw new Error('a DER integer does not fit the curve');
    return value;
  };
  const r = integer();
  const s = integer();
  const out = new Uint8Array(size * 2);
  out.set(r, size - r.length);
  out.set(s, size * 2 - s.length);
  return out;
}
