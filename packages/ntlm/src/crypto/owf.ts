import { wipe } from '@sspkit/core';
import { desEncrypt, expandDesKey } from '@sspkit/legacy-crypto';
import { hmacMd5 } from './hashes.js';
import { md4 } from './md4.js';
import { utf16le } from './hashes.js';
import { upcase } from '../upcase.js';

/** NTOWFv1(Passwd) = MD4(UNICODE(Passwd)) — the NT hash (MS-NLMP §3.3.1). */
export function ntHash(password: string): Uint8Array {
  const p = utf16le(password);
  const h = md4(p);
  wipe(p);
  return h;
}

/**
 * NTOWFv2 = HMAC_MD5(NT hash, UNICODE(Uppercase(User) + UserDom)) (MS-NLMP §3.3.2). LMOWFv2 is the
 * same function, so callers use this for both ResponseKeyNT and ResponseKeyLM. Uppercase is
 * Windows' per-code-unit upper-casing (see upcase.ts), the one the account lookup uses.
 */
export function ntowfv2(ntHashValue: Uint8Array, user: string, domain: string): Uint8Array {
  return hmacMd5(ntHashValue, utf16le(upcase(user) + domain));
}

const LM_MAGIC = new TextEncoder().encode('KGS!@#$%');

/**
 * LMOWFv1(Passwd) (MS-NLMP §3.3.1): DES of "KGS!@#$%" under the upper-cased, 14-byte OEM password.
 * Only for the opt-in NTLMv1/LM path. Non-ASCII characters are mapped to '?' since no OEM code page
 * is known; passwords over 14 characters have no LM hash (returns undefined).
 */
export function lmowfv1(password: string): Uint8Array | undefined {
  if (password.length > 14) return undefined;
  const p = new Uint8Array(14);
  const up = upcase(password);
  for (let i = 0; i < up.length; i++) {
    const c = up.charCodeAt(i);
    p[i] = c < 0x80 ? c : 0x3f;
  }
  const k1 = expandDesKey(p.subarray(0, 7));
  const k2 = expandDesKey(p.subarray(7, 14));
  const out = new Uint8Array(16);
  out.set(desEncrypt(k1, LM_MAGIC), 0);
  out.set(desEncrypt(k2, LM_MAGIC), 8);
  wipe(p, k1, k2);
  return out;
}
