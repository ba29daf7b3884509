/**
 * Single DES for the old protocols: MS-NLMP §6's DES(K, D) behind LMOWF and the NTLMv1 responses,
 * and RFC 2831 §2.4's `cipher=des|3des` keys. OpenSSL 3's default provider dropped single DES but
 * still ships DES-EDE3, and triple DES with K1 = K2 = K3 is single DES (E_K(D_K(E_K(x))) = E_K(x)),
 * so no block cipher is written by hand here: only the key spreading is.
 */
import { Buffer } from 'node:buffer';
import { createCipheriv } from 'node:crypto';

/**
 * Spreads 7 key octets (56 bits) over the 8 octets of a DES key, 7 bits each in the high bits, and
 * sets each octet's low bit for odd parity (FIPS 46-3 §2: bits 8, 16, ..., 64 are parity bits).
 * DES never reads those bits (PC-1 drops them), so the parity chosen does not change any cipher
 * output; odd parity is the standard form of a DES key.
 */
export function expandDesKey(seven: Uint8Array): Uint8Array {
  if (seven.length !== 7) throw new RangeError('DES key material must be 7 bytes');
  const b = (i: number): number => seven[i] ?? 0;
  const spread = [
    b(0),
    (b(0) << 7) | (b(1) >>> 1),
    (b(1) << 6) | (b(2) >>> 2),
    (b(2) << 5) | (b(3) >>> 3),
    (b(3) << 4) | (b(4) >>> 4),
    (b(4) << 3) | (b(5) >>> 5),
    (b(5) << 2) | (b(6) >>> 6),
    b(6) << 1,
  ];
  return Uint8Array.from(spread, (v) => withOddParity(v & 0xfe));
}

/** The octet with its low bit set so that it has an odd number of one bits. */
function withOddParity(v: number): number {
  let x = v;
  x ^= x >> 4;
  x ^= x >> 2;
  x ^= x >> 1;
  return (x & 1) === 1 ? v : v | 1;
}

/** DES-ECB encryption of one or more 8-byte blocks under an 8-byte key (parity bits ignored). */
export function desEncrypt(key8: Uint8Array, data: Uint8Array): Uint8Array {
  if (key8.length !== 8) throw new RangeError('DES key must be 8 bytes');
  if (data.length % 8 !== 0) throw new RangeError('DES input must be a multiple of 8 bytes');
  const ede = new Uint8Array(24);
  ede.set(key8, 0);
  ede.set(key8, 8);
  ede.set(key8, 16);
  const cipher = createCipheriv('des-ede3-ecb', ede, null);
  cipher.setAutoPadding(false);
  const out = Buffer.concat([cipher.update(data), cipher.final()]);
  ede.fill(0);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}
