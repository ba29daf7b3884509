import { describe, expect, it } from 'vitest';
import { desEncrypt } from '@sspkit/legacy-crypto';
import { des7 } from '../src/crypto/des.js';
import { md4 } from '../src/crypto/md4.js';
import { ascii, hex, toHex } from './helpers.js';

describe('MD4', () => {
  // RFC 1320 appendix A.5 test suite.
  const vectors: [string, string][] = [
    ['', '31d6cfe0d16ae931b73c59d7e0c089c0'],
    ['a', 'bde52cb31de33e46245e05fbdbd6fb24'],
    ['abc', 'a448017aaf21d8525fc10ae87aa6729d'],
    ['message digest', 'd9130a8164549fe818874806e1c7014b'],
    ['abcdefghijklmnopqrstuvwxyz', 'd79e1c308aa5bbcdeea8ed63df412da9'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', '043f8582f241db351ce627e153e7f0e4'],
    ['1234567890'.repeat(8), 'e33b4ddc9c38f2199c3e7b164fcc0536'],
  ];
  it.each(vectors)('RFC 1320 A.5: MD4(%j)', (input, expected) => {
    expect(toHex(md4(ascii(input)))).toBe(expected);
  });

  it('handles the 55/56/64-byte padding boundaries like a multi-block input', () => {
    // Lengths around the padding edge must not collide with each other.
    const seen = new Set([55, 56, 63, 64, 65, 119, 120].map((n) => toHex(md4(new Uint8Array(n).fill(0x61)))));
    expect(seen.size).toBe(7);
  });
});

// RC4 itself (RFC 6229 vectors) is tested in @sspkit/legacy-crypto.

describe('DES via 3DES-EDE with equal keys', () => {
  // FIPS 46 worked example (key 133457799BBCDFF1, plaintext 0123456789ABCDEF), as in the
  // classic textbook walk-through of DES.
  it('encrypts the classic DES example', () => {
    expect(toHex(desEncrypt(hex('133457799bbcdff1'), hex('0123456789abcdef')))).toBe('85e813540f0ab405');
  });
  it('expands 7-byte key material into the same DES key as its 8-byte form', () => {
    // 0x133457799BBCDFF1 without parity bits is the 56-bit string 0x1234 56 78 9A BC DE F0 >> ... ;
    // recompute it by packing the top 7 bits of each key byte.
    const k8 = hex('133457799bbcdff1');
    let bits = 0n;
    for (const b of k8) bits = (bits << 7n) | BigInt(b >> 1);
    const k7 = hex(bits.toString(16).padStart(14, '0'));
    expect(toHex(des7(k7, hex('0123456789abcdef')))).toBe('85e813540f0ab405');
  });
});
