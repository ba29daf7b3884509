import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { desEncrypt, expandDesKey } from '@sspkit/legacy-crypto';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('DES on DES-EDE3 with K1 = K2 = K3', () => {
  it('encrypts the FIPS 46 worked example (key 133457799BBCDFF1, plaintext 0123456789ABCDEF)', () => {
    expect(toHex(desEncrypt(hex('133457799bbcdff1'), hex('0123456789abcdef')))).toBe('85e813540f0ab405');
  });

  it('encrypts the FIPS 81 appendix B first block (key 0123456789ABCDEF, "Now is t")', () => {
    expect(toHex(desEncrypt(hex('0123456789abcdef'), hex('4e6f772069732074')))).toBe('3fa40e8a984d4815');
  });

  it('refuses a key or input of the wrong size', () => {
    expect(() => desEncrypt(new Uint8Array(7), new Uint8Array(8))).toThrow(RangeError);
    expect(() => desEncrypt(new Uint8Array(8), new Uint8Array(9))).toThrow(RangeError);
  });
});

describe('expandDesKey: 7 key octets spread over 8, odd parity', () => {
  it('gives the FIPS 81 key 0123456789ABCDEF from its 56 key bits', () => {
    expect(toHex(expandDesKey(hex('00451338957377')))).toBe('0123456789abcdef');
  });

  it('gives the FIPS 46 key 133457799BBCDFF1 from its 56 key bits', () => {
    expect(toHex(expandDesKey(hex('12695bc9b7b7f8')))).toBe('133457799bbcdff1');
  });

  it('sets odd parity in every octet', () => {
    for (let i = 0; i < 64; i++) {
      for (const octet of expandDesKey(randomBytes(7))) {
        let ones = 0;
        for (let v = octet; v !== 0; v >>= 1) ones += v & 1;
        expect(ones % 2).toBe(1);
      }
    }
  });

  // NTLM (MS-NLMP §6) used to clear the parity bit and Digest (RFC 2831) to set odd parity: the
  // same cipher, because DES never reads the low bit of a key octet (PC-1 drops it, FIPS 46-3).
  it('whatever the parity bits hold, the cipher is the same', () => {
    for (let i = 0; i < 64; i++) {
      const key = expandDesKey(randomBytes(7));
      const block = randomBytes(8);
      const cleared = key.map((b) => b & 0xfe);
      const flipped = key.map((b) => b ^ 1);
      const expected = toHex(desEncrypt(key, block));
      expect(toHex(desEncrypt(cleared, block))).toBe(expected);
      expect(toHex(desEncrypt(flipped, block))).toBe(expected);
    }
  });
});
