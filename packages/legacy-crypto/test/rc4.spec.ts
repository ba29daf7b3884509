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

// The textbook byte loop (RFC 6229 §1's description of the cipher), to check the word-at-a-time path.
function reference(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = Array.from({ length: 256 }, (_, i) => i);
  let j = 0;
  for (let i = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = new Uint8Array(data.length);
  let i = 0;
  j = 0;
  for (let n = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 0xff]!;
  }
  return out;
}

describe('RC4 in place', () => {
  it('equals the byte loop at every alignment, length and split of the stream', () => {
    const key = Uint8Array.from({ length: 16 }, (_, i) => i * 37 + 11);
    const text = Uint8Array.from({ length: 300 }, (_, i) => (i * 131) & 0xff);
    for (const offset of [0, 1, 2, 3]) {
      for (const length of [0, 1, 31, 32, 33, 35, 64, 131, 296]) {
        for (const split of [0, 1, 3, 32, 37, length]) {
          if (split > length) continue;
          // A view at `offset` into a larger buffer, so the words start unaligned.
          const buf = new Uint8Array(offset + length + 3).fill(0xee);
          const view = buf.subarray(offset, offset + length);
          view.set(text.subarray(0, length));
          const rc4 = new Rc4(key);
          rc4.process(view.subarray(0, split));
          rc4.process(view.subarray(split));
          expect(toHex(view), `offset ${offset} length ${length} split ${split}`).toBe(
            toHex(reference(key, text.subarray(0, length))),
          );
          // Bytes around the view are untouched.
          expect(buf.subarray(0, offset).every((b) => b === 0xee)).toBe(true);
          expect(buf.subarray(offset + length).every((b) => b === 0xee)).toBe(true);
        }
      }
    }
  });

  it('update() leaves its input as it was, process() changes it', () => {
    const key = hex('0102030405');
    const text = new Uint8Array(64).fill(7);
    const copy = text.slice();
    const out = new Rc4(key).update(text);
    expect(text).toEqual(copy);
    new Rc4(key).process(text);
    expect(text).toEqual(out);
  });
});
