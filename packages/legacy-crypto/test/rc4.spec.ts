import { describe, expect, it } from 'vitest';
import { Rc4, rc4Once } from '@sspkit/legacy-crypto';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

// RFC 6229 §2: keystream bytes at offsets 0 and 16 (a zero plaintext shows the keystream).
describe('RC4, RFC 6229 §2 test vectors', () => {
  it('40-bit key 0x0102030405', () => {
    expect(toHex(new Rc4(hex('0102030405')).update(new Uint8Array(32)))).toBe(
      'b2396305f03dc027ccc3524a0a1118a8' + '6982944f18fc82d589c403a47a0d0919',
    );
  });

  it('128-bit key 0x0102…10', () => {
    expect(toHex(new Rc4(hex('0102030405060708090a0b0c0d0e0f10')).update(new Uint8Array(32)))).toBe(
      '9ac7cc9a609d1ef7b2932899cde41b97' + '5248c4959014126a6e8a84f11d1a9e1c',
    );
  });

  it('keeps its keystream across calls, and one-shot equals streaming', () => {
    const key = hex('0102030405060708090a0b0c0d0e0f10');
    const rc4 = new Rc4(key);
    const a = toHex(rc4.update(new Uint8Array(8)));
    const b = toHex(rc4.update(new Uint8Array(8)));
    expect(a + b).toBe('9ac7cc9a609d1ef7b2932899cde41b97');
    expect(toHex(rc4Once(key, new Uint8Array(16)))).toBe(a + b);
  });

  it('is its own inverse, and refuses empty or oversize keys', () => {
    const key = hex('0102030405');
    const text = new TextEncoder().encode('attack at dawn');
    expect(new Rc4(key).update(new Rc4(key).update(text))).toEqual(text);
    expect(() => new Rc4(new Uint8Array(0))).toThrow(RangeError);
    expect(() => new Rc4(new Uint8Array(257))).toThrow(RangeError);
  });
});
