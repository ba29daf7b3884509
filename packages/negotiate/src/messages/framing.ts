/**
 * The mechanism-independent token framing of RFC 2743 §3.1 (InitialContextToken):
 *
 *   [APPLICATION 0] IMPLICIT SEQUENCE { thisMech MechType, innerContextToken ANY DEFINED BY thisMech }
 *
 * The inner token need not be ASN.1 at all (Kerberos puts a two-byte TOK_ID before its AP-REQ,
 * RFC 4121 §4.1): only the outer tag and length and the OID are read; the rest is returned as bytes.
 */
import type { DecodeResult } from '@sspkit/der';
import { fail, MAX_TOKEN_SIZE, oid, oidOf, ok, readTlv, tlv } from '@sspkit/der';

/** The first byte of every framed initial token: [APPLICATION 0], constructed. */
export const INITIAL_TOKEN_TAG = 0x60;

/** A decoded InitialContextToken. */
export interface InitialContextToken {
  /** thisMech, dotted. */
  readonly mech: string;
  /** innerContextToken, copied. */
  readonly inner: Uint8Array;
}

/** Frames `inner` as an InitialContextToken for `mech`. */
export function encodeInitialContextToken(mech: string, inner: Uint8Array): Uint8Array {
  return tlv(INITIAL_TOKEN_TAG, oidOf(mech), inner);
}

/** Decodes the framing; the inner token is returned as bytes, unparsed. Never throws. */
export function decodeInitialContextToken(buf: Uint8Array): DecodeResult<InitialContextToken> {
  if (buf.length === 0) return fail('empty', 'empty token');
  if (buf.length > MAX_TOKEN_SIZE) return fail('oversize', `token of ${buf.length} bytes`);
  if (buf[0] !== INITIAL_TOKEN_TAG) return fail('unexpected-tag', 'not an RFC 2743 initial context token');
  const outer = readTlv(buf, 0, buf.length, 'InitialContextToken');
  if (!outer.ok) return outer;
  if (outer.value.end !== buf.length) return fail('trailing-bytes', 'bytes after the framed token');
  const mechTlv = readTlv(buf, outer.value.contentStart, outer.value.end, 'thisMech');
  if (!mechTlv.ok) return mechTlv;
  const mech = oid(mechTlv.value, 'thisMech');
  if (!mech.ok) return mech;
  return ok({ mech: mech.value, inner: buf.slice(mechTlv.value.end, outer.value.end) });
}
