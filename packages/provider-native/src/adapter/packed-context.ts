/**
 * The packed form of an exported context, authenticated. MIT's gss_import_sec_context trusts its
 * interprocess token (RFC 2743 §2.2.9 leaves its protection to the caller): libkrb5's
 * profile_ser_internalize copies a file name of whatever length the token claims (a SIGSEGV on a
 * corrupted token, found by fuzzing), and the names it reads become the context's krb5.conf files,
 * which may load plugins. So only a token this provider packed reaches the library: the packed
 * context carries an HMAC-SHA256 over everything before it, under a key random per process unless the
 * application shares one between its processes (`setContextTransferKey`).
 *
 * Two tags: `SKN2` carries the GSS token alone; `SKN3` a context whose tokens sspkit makes itself
 * (src/lucid), with its sending number and receive window ahead of the GSS token, whose own sequence
 * state is stale (the library made none of the tokens). `SKN1` (unauthenticated) is refused.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { SESSION_STATE_BYTES } from '../lucid/index.js';

const TAG = Buffer.from('SKN2', 'latin1');
const TAG_RFC4121 = Buffer.from('SKN3', 'latin1');
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

const mac = (body: Uint8Array): Buffer => createHmac('sha256', key).update(body).digest();

/** A packed context's parts: the side, the GSS interprocess token, sspkit's RFC 4121 state if any. */
export interface UnpackedContext {
  readonly side: 'client' | 'server';
  readonly token: Uint8Array;
  readonly state: Uint8Array | null;
}

/** tag ‖ side (1 client, 2 server) ‖ [RFC 4121 state] ‖ GSS interprocess token ‖ HMAC. */
export function pack(side: 'client' | 'server', token: Uint8Array, state: Uint8Array | null): Uint8Array {
  const stateLength = state?.length ?? 0;
  const bodyLength = TAG.length + 1 + stateLength + token.length;
  const packed = new Uint8Array(bodyLength + MAC_LENGTH);
  packed.set(state !== null ? TAG_RFC4121 : TAG, 0);
  packed[TAG.length] = side === 'client' ? 1 : 2;
  if (state !== null) packed.set(state, TAG.length + 1);
  packed.set(token, TAG.length + 1 + stateLength);
  packed.set(mac(packed.subarray(0, bodyLength)), bodyLength);
  return packed;
}

/** The parts of a packed context this provider made, or undefined for anything else. */
export function unpack(packed: Uint8Array): UnpackedContext | undefined {
  if (packed.length < TAG.length + 1 + MAC_LENGTH) return undefined;
  const tag = packed.subarray(0, TAG.length);
  const withState = TAG_RFC4121.equals(tag);
  if (!withState && !TAG.equals(tag)) return undefined;
  const at = TAG.length + 1 + (withState ? SESSION_STATE_BYTES : 0);
  const bodyLength = packed.length - MAC_LENGTH;
  if (bodyLength <= at) return undefined;
  const expected = mac(packed.subarray(0, bodyLength));
  if (!timingSafeEqual(expected, packed.subarray(bodyLength))) return undefined;
  const side = packed[TAG.length];
  if (side !== 1 && side !== 2) return undefined;
  return {
    side: side === 1 ? 'client' : 'server',
    token: packed.subarray(at, bodyLength),
    state: withState ? packed.subarray(TAG.length + 1, at) : null,
  };
}
