/**
 * The Mock package's cryptography, built only from node:crypto: SHA-256 for the transcript,
 * HMAC-SHA-256 for proofs and message signatures, AES-256-CTR for sealing. Real primitives, so a
 * flipped bit or a replay is caught for real; the protocol itself is a test double, not a design
 * to deploy.
 */
import { createCipheriv, createHash, createHmac } from 'node:crypto';

const enc = new TextEncoder();

/** The long-term key of a user: what the server's user database holds instead of the password. */
export function userKey(user: string, domain: string, password: string): Uint8Array {
  return createHash('sha256')
    .update('sspkit-mock-user-key\0')
    .update(domain.toUpperCase())
    .update('\0')
    .update(user.toLowerCase())
    .update('\0')
    .update(password)
    .digest();
}

/** HMAC-SHA-256 over labelled parts. */
export function hmac(key: Uint8Array, label: string, ...parts: Uint8Array[]): Uint8Array {
  const h = createHmac('sha256', key).update(enc.encode(label));
  for (const p of parts) h.update(p);
  return h.digest();
}

/** SHA-256 of the concatenation of the parts. */
export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** Per-direction keys derived from the session key. */
export interface DirectionKeys {
  readonly sign: Uint8Array;
  readonly seal: Uint8Array;
}

/** Derives the client→server and server→client keys. */
export function directionKeys(sessionKey: Uint8Array): { c2s: DirectionKeys; s2c: DirectionKeys } {
  return {
    c2s: { sign: hmac(sessionKey, 'c2s-sign'), seal: hmac(sessionKey, 'c2s-seal') },
    s2c: { sign: hmac(sessionKey, 's2c-sign'), seal: hmac(sessionKey, 's2c-seal') },
  };
}

/** AES-256-CTR keystream applied in place across the given byte ranges, IV = nonce (8) ‖ seq ‖ 0. */
export function cryptInPlace(key: Uint8Array, nonce: Uint8Array, seq: number, ranges: readonly Uint8Array[]): void {
  const iv = new Uint8Array(16);
  iv.set(nonce.subarray(0, 8), 0);
  new DataView(iv.buffer).setUint32(8, seq >>> 0);
  const cipher = createCipheriv('aes-256-ctr', key, iv);
  for (const r of ranges) {
    if (r.length === 0) continue;
    const out = cipher.update(r);
    r.set(out);
  }
  cipher.final();
}
