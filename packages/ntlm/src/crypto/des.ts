import { createCipheriv } from 'node:crypto';

/**
 * Single DES for the opt-in NTLMv1/LM path. OpenSSL 3's default provider dropped DES-ECB but still
 * ships DES-EDE3-ECB; triple DES with K1 = K2 = K3 reduces to single DES (E_K(D_K(E_K(x))) = E_K(x)),
 * so we get a constant-time, audited DES without a dependency or a hand-written cipher.
 */

/** Spreads 7 key bytes into the 8-byte DES key layout (7 key bits per byte, parity bit unused). */
export function expandDesKey(key7: Uint8Array): Uint8Array {
  if (key7.length !== 7) throw new RangeError('DES key material must be 7 bytes');
  const k = key7;
  const b = (i: number): number => k[i] ?? 0;
  return Uint8Array.from([
    b(0) & 0xfe,
    ((b(0) << 7) | (b(1) >>> 1)) & 0xfe,
    ((b(1) << 6) | (b(2) >>> 2)) & 0xfe,
    ((b(2) << 5) | (b(3) >>> 3)) & 0xfe,
    ((b(3) << 4) | (b(4) >>> 4)) & 0xfe,
    ((b(4) << 3) | (b(5) >>> 5)) & 0xfe,
    ((b(5) << 2) | (b(6) >>> 6)) & 0xfe,
    (b(6) << 1) & 0xfe,
  ]);
}

/** DES-ECB encryption of one or more 8-byte blocks with an 8-byte key. */
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

/** DES(K, D) from MS-NLMP §6: K is 7 bytes of key material, D one 8-byte block. */
export function des7(key7: Uint8Array, block: Uint8Array): Uint8Array {
  const k = expandDesKey(key7);
  const out = desEncrypt(k, block);
  k.fill(0);
  return out;
}

/** DESL(K, D) from MS-NLMP §6: the 24-byte NTLMv1 response for a 16-byte key and an 8-byte challenge. */
export function desl(key16: Uint8Array, challenge: Uint8Array): Uint8Array {
  const k = new Uint8Array(21);
  k.set(key16.subarray(0, 16));
  const out = new Uint8Array(24);
  out.set(des7(k.subarray(0, 7), challenge), 0);
  out.set(des7(k.subarray(7, 14), challenge), 8);
  out.set(des7(k.subarray(14, 21), challenge), 16);
  k.fill(0);
  return out;
}
