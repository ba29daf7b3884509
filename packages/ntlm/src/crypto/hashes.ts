import { createHash, createHmac } from 'node:crypto';

/** MD5 digest (node:crypto; still in OpenSSL 3's default provider). */
export function md5(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/** HMAC_MD5(K, M) from MS-NLMP §6, over the concatenation of `parts`. */
export function hmacMd5(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const h = createHmac('md5', key);
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/** UTF-16LE encoding (MS-NLMP "UNICODE()"). */
export function utf16le(s: string): Uint8Array {
  const b = Buffer.from(s, 'utf16le');
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

/** Hex text of `b`, for use as a map key (not for secrets that must not be kept). */
export const toHexKey = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');
