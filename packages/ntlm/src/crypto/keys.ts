import { md5 } from './hashes.js';

const magic = (s: string): Uint8Array => new TextEncoder().encode(`${s}\0`);

// The four magic constants of MS-NLMP §3.4.5.2 / §3.4.5.3, NUL terminator included.
const CLIENT_SIGN = magic('session key to client-to-server signing key magic constant');
const SERVER_SIGN = magic('session key to server-to-client signing key magic constant');
const CLIENT_SEAL = magic('session key to client-to-server sealing key magic constant');
const SERVER_SEAL = magic('session key to server-to-client sealing key magic constant');

/** Which side's outbound traffic a key protects. */
export type Direction = 'client-to-server' | 'server-to-client';

/** SIGNKEY with extended session security (MS-NLMP §3.4.5.2). */
export function signKey(exportedSessionKey: Uint8Array, direction: Direction): Uint8Array {
  return md5(exportedSessionKey, direction === 'client-to-server' ? CLIENT_SIGN : SERVER_SIGN);
}

/** Key strength chosen by the negotiated NTLMSSP_NEGOTIATE_128 / _56 flags. */
export type KeyStrength = 128 | 56 | 40;

/**
 * SEALKEY (MS-NLMP §3.4.5.3). With ESS the session key is truncated to the negotiated strength
 * before hashing; without ESS (v1 only) 56/40-bit keys are built from the first 7/5 bytes.
 */
export function sealKey(
  exportedSessionKey: Uint8Array,
  direction: Direction,
  strength: KeyStrength,
  ess: boolean,
): Uint8Array {
  if (ess) {
    const n = strength === 128 ? 16 : strength === 56 ? 7 : 5;
    return md5(exportedSessionKey.subarray(0, n), direction === 'client-to-server' ? CLIENT_SEAL : SERVER_SEAL);
  }
  if (strength === 56) return Uint8Array.from([...exportedSessionKey.subarray(0, 7), 0xa0]);
  if (strength === 40) return Uint8Array.from([...exportedSessionKey.subarray(0, 5), 0xe5, 0x38, 0xb0]);
  return new Uint8Array(exportedSessionKey);
}
