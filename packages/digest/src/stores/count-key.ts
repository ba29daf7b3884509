/**
 * The key a nonce count is recorded under: one record per (nonce, user), as a fixed-size digest.
 *
 * Per user: nonces are public (every challenge shows one), so with one record per nonce any user
 * could answer another's nonce with nc=ffffffff and make every count its owner sends afterwards look
 * like a replay. Counts are the owner's to spend. Fixed size: the nonce parsed from an Authorization
 * header is a slice of it, and a slice kept as a map key keeps the whole header alive for the
 * nonce's lifetime; a 16-octet digest (22 base64url characters) is a fresh, flat string.
 */
import { createHash } from 'node:crypto';

/** Store key of (nonce, user, realm): base64url of SHA-256(nonce ‖ 0 ‖ user ‖ 0 ‖ realm)[0..16]. */
export function nonceCountKey(nonce: string, username: string, realm: string): string {
  return createHash('sha256')
    .update(`${nonce}\0${username}\0${realm}`, 'utf8')
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}
