/**
 * The packed form of an exported context, authenticated. MIT's gss_import_sec_context trusts its
 * interprocess token (RFC 2743 §2.2.9 leaves its protection to the caller): libkrb5's
 * profile_ser_internalize copies a file name of whatever length the token claims (a SIGSEGV on a
 * corrupted token, found by fuzzing), and the names it reads become the context's krb5.conf files,
 * which may load plugins. So only a token this provider packed reaches the library: the packed
 * context carries an HMAC-SHA256 over its tag, side byte and token, under a key random per process
 * unless the application shares one between its processes (`setContextTransferKey`).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const TAG = Buffer.from('SKN2', 'latin1');
const MAC_LENGTH = 32;
const KEY_MIN = 32;

let key: Buffer = randomBytes(KEY_MIN);

/**
 * Sets the key packed contexts are authenticated with, so that a context exported by one process
 * imports in another that was given the same key (at least 32 random bytes, kept secret: whoever
 * holds it can make this process import any interprocess token).
 */
export function setContextTransferKey(secret: Uint8Array): void {
  if (secret.length < KEY_MIN) throw new RangeError(`the context transfer key needs at least ${KEY_MIN} bytes`);
  key.fill(0);
  key = Buffer.from(secret);
}

const mac = (head: Uint8Array, token: Uint8Array): Buffer =>
  createHmac('sha256', key).update(head).update(token).digest();

/** tag ‖ side (1 client, 2 server) ‖ GSS interprocess token ‖ HMAC. */
export function pack(side: 'client' | 'server', token: Uint8Array): Uint8Array {
  const head = Buffer.concat([TAG, Buffer.of(side === 'client' ? 1 : 2)]);
  const packed = new Uint8Array(head.length + token.length + MAC_LENGTH);
  packed.set(head, 0);
  packed.set(token, head.length);
  packed.set(mac(head, token), head.length + token.length);
  return packed;
}

/** The side and the token of a packed context this provider made, or undefined for anything else. */
export function unpack(packed: Uint8Array): { side: 'client' | 'server'; token: Uint8Array } | undefined {
  const headLength = TAG.length + 1;
  if (packed.length <= headLength + MAC_LENGTH) return undefined;
  if (!TAG.equals(packed.subarray(0, TAG.length))) return undefined;
  const head = packed.subarray(0, headLength);
  const token = packed.subarray(headLength, packed.length - MAC_LENGTH);
  const expected = mac(head, token);
  if (!timingSafeEqual(expected, packed.subarray(packed.length - MAC_LENGTH))) return undefined;
  const side = packed[TAG.length];
  if (side !== 1 && side !== 2) return undefined;
  return { side: side === 1 ? 'client' : 'server', token };
}
