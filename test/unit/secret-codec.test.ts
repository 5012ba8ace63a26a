import { describe, expect, it } from 'vitest';
import { decodeSecret, encodeSecret } from '../../shared/adapters/secret-codec.js';
import { CiphertextRejectedError } from '../../shared/domain/errors.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('secret codec', () => {
  it('round-trips a code without a PIN, writing no pin field', () => {
    const encoded = encodeSecret({ code: 'ABCD-1234-EFGH' });
    expect(encoded.toString('utf8')).toBe('{"code":"ABCD-1234-EFGH"}');
    expect(decodeSecret(encoded)).toEqual({ code: 'ABCD-1234-EFGH' });
  });

  it('round-trips a code with its PIN in the format stored ciphertexts already hold', () => {
    const encoded = encodeSecret({ code: 'GIFT-0001', pin: '0042' });
    expect(encoded.toString('utf8')).toBe('{"code":"GIFT-0001","pin":"0042"}');
    expect(decodeSecret(encoded)).toEqual({ code: 'GIFT-0001', pin: '0042' });
  });

  it('round-trips unicode, quotes and backslashes unchanged', () => {
    const secret = { code: 'Ünï-çødé-🎁-"q"-\\', pin: 'ピン' };
    expect(decodeSecret(encodeSecret(secret))).toEqual(secret);
  });

  it('keeps only the code and the PIN of a decoded object', () => {
    expect(decodeSecret(bytes('{"code":"C","pin":"P","extra":"x"}'))).toEqual({ code: 'C', pin: 'P' });
  });

  it.each([
    ['not JSON', 'code=SECRET-1'],
    ['truncated JSON', '{"code":"SECRET-1"'],
    ['null', 'null'],
    ['a bare string', '"SECRET-1"'],
    ['an array', '["SECRET-1"]'],
    ['no code', '{"pin":"1234"}'],
    ['a numeric code', '{"code":1234}'],
    ['a numeric PIN', '{"code":"SECRET-1","pin":1234}'],
    ['empty input', ''],
  ])('refuses %s without quoting it', (_, text) => {
    let error: unknown;
    try {
      decodeSecret(bytes(text));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CiphertextRejectedError);
    expect((error as Error).message).not.toContain('SECRET-1');
    expect((error as Error).cause).toBeUndefined();
  });
});
