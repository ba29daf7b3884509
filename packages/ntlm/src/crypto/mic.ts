import { hmacMd5 } from './hashes.js';

/**
 * MIC over the three handshake messages (MS-NLMP §3.1.5.1.2 / §3.2.5.1.2):
 * HMAC_MD5(ExportedSessionKey, NEGOTIATE ‖ CHALLENGE ‖ AUTHENTICATE), the AUTHENTICATE message
 * taken with its 16-byte MIC field zeroed.
 */
export function computeMic(
  exportedSessionKey: Uint8Array,
  negotiate: Uint8Array,
  challenge: Uint8Array,
  authenticateWithZeroMic: Uint8Array,
): Uint8Array {
  return hmacMd5(exportedSessionKey, negotiate, challenge, authenticateWithZeroMic);
}
