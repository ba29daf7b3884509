import { desEncrypt, expandDesKey } from '@sspkit/legacy-crypto';

// DES itself (on OpenSSL's DES-EDE3 with equal keys) and the 7-to-8-byte key spreading are
// @sspkit/legacy-crypto's, shared with Digest; MS-NLMP §6's two DES-based functions are here.

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
