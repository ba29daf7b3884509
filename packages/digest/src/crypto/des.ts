/**
 * DES and two-key 3DES in CBC mode for SASL DIGEST-MD5 `cipher=des|3des` (RFC 2831 §2.4).
 *
 * Node's OpenSSL 3 still has `des-ede3-cbc` in its default provider, but not single DES. Single DES is
 * exactly 3DES-EDE with K1 = K2 = K3 (the E-D pair cancels), so both ciphers run on OpenSSL's
 * `des-ede3-cbc` and no block cipher is written by hand. Padding is RFC 2831's own, so OpenSSL's is off;
 * the cipher objects persist so each message's IV is the previous message's last ciphertext block.
 */
import { Buffer } from 'node:buffer';
import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { Cipher, Decipher } from 'node:crypto';
// Spreads Kcc[0..7] into a DES key (7 bits an octet, odd parity), as RFC 2831 implementations do.
import { expandDesKey } from '@sspkit/legacy-crypto';

/** The DES variants RFC 2831 negotiates. */
export type DesVariant = 'des' | '3des';

/** The 24-octet des-ede3 key for a DIGEST-MD5 cipher key Kc (16 octets). */
function desEde3Key(variant: DesVariant, kc: Uint8Array): Buffer {
  const k1 = expandDesKey(kc.subarray(0, 7));
  if (variant === 'des') return Buffer.concat([k1, k1, k1]);
  const k2 = expandDesKey(kc.subarray(7, 14));
  return Buffer.concat([k1, k2, k1]);
}

/** A CBC stream that keeps its chaining state across messages. */
export interface BlockStream {
  update(data: Uint8Array): Uint8Array;
}

/** Creates the encrypting or decrypting CBC stream for Kc; the first IV is Kc[8..16]. */
export function createDesStream(variant: DesVariant, kc: Uint8Array, encrypt: boolean): BlockStream {
  const key = desEde3Key(variant, kc);
  const iv = Buffer.from(kc.subarray(8, 16));
  const c: Cipher | Decipher = encrypt
    ? createCipheriv('des-ede3-cbc', key, iv)
    : createDecipheriv('des-ede3-cbc', key, iv);
  c.setAutoPadding(false);
  return { update: (data) => c.update(data) };
}
