/**
 * The mechanism-independent token framing of RFC 2743 §3.1 (InitialContextToken):
 *
 *   [APPLICATION 0] IMPLICIT SEQUENCE { thisMech MechType, innerContextToken ANY DEFINED BY thisMech }
 *
 * Written by hand around asn1js because the inner token need not be ASN.1 at all (Kerberos puts a
 * two-byte TOK_ID before its AP-REQ, RFC 4121 §4.1): a generic BER parser would misread it. Only
 * the outer tag and length are read here; the OID goes through asn1js.
 */
import * as asn1js from 'asn1js';
import { MAX_TOKEN_SIZE, oid, parseOne, toDer } from './der.js';
import type { DecodeResult } from './result.js';
import { fail, ok } from './result.js';

/** The first byte of every framed initial token: [APPLICATION 0], constructed. */
export const INITIAL_TOKEN_TAG = 0x60;

/** A decoded InitialContextToken. */
export interface InitialContextToken {
  /** thisMech, dotted. */
  readonly mech: string;
  /** innerContextToken, copied. */
  readonly inner: Uint8Array;
}

/** DER length octets (X.690 §8.1.3, definite form, minimal). */
export function derLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.from([0x80 | bytes.length, ...bytes]);
}

/** Reads a definite length at `at`; returns [length, header bytes consumed] or an error. */
function readLength(buf: Uint8Array, at: number): DecodeResult<readonly [number, number]> {
  const first = buf[at];
  if (first === undefined) return fail('truncated', 'no length octet');
  if (first < 0x80) return ok([first, 1]);
  const count = first & 0x7f;
  // 0x80 is the indefinite form, which RFC 2743 §3.1 forbids; four octets cover any token we accept.
  if (count === 0) return fail('malformed-der', 'indefinite length in the token framing');
  if (count > 4) return fail('oversize', `length of ${count} octets`);
  if (at + 1 + count > buf.length) return fail('truncated', 'length octets cut short');
  let n = 0;
  for (let i = 1; i <= count; i++) n = n * 256 + (buf[at + i] ?? 0);
  return ok([n, 1 + count]);
}

/** Frames `inner` as an InitialContextToken for `mech`. */
export function encodeInitialContextToken(mech: string, inner: Uint8Array): Uint8Array {
  const mechDer = toDer(new asn1js.ObjectIdentifier({ value: mech }));
  const bodyLength = mechDer.length + inner.length;
  const len = derLength(bodyLength);
  const out = new Uint8Array(1 + len.length + bodyLength);
  out[0] = INITIAL_TOKEN_TAG;
  out.set(len, 1);
  out.set(mechDer, 1 + len.length);
  out.set(inner, 1 + len.length + mechDer.length);
  return out;
}

/** Decodes the framing; the inner token is returned as bytes, unparsed. Never throws. */
export function decodeInitialContextToken(buf: Uint8Array): DecodeResult<InitialContextToken> {
  if (buf.length === 0) return fail('empty', 'empty token');
  if (buf.length > MAX_TOKEN_SIZE) return fail('oversize', `token of ${buf.length} bytes`);
  if (buf[0] !== INITIAL_TOKEN_TAG) return fail('unexpected-tag', 'not an RFC 2743 initial context token');
  const outer = readLength(buf, 1);
  if (!outer.ok) return outer;
  const [bodyLength, lenBytes] = outer.value;
  const bodyStart = 1 + lenBytes;
  if (bodyStart + bodyLength > buf.length) return fail('truncated', 'token shorter than its length says');
  if (bodyStart + bodyLength < buf.length) return fail('trailing-bytes', 'bytes after the framed token');
  if (buf[bodyStart] !== 0x06) return fail('unexpected-tag', 'thisMech is not an OBJECT IDENTIFIER');
  const oidLen = readLength(buf, bodyStart + 1);
  if (!oidLen.ok) return oidLen;
  const oidEnd = bodyStart + 1 + oidLen.value[1] + oidLen.value[0];
  if (oidEnd > bodyStart + bodyLength) return fail('truncated', 'thisMech runs past the token');
  const node = parseOne(buf.subarray(bodyStart, oidEnd), 'thisMech');
  if (!node.ok) return node;
  const mech = oid(node.value, 'thisMech');
  if (!mech.ok) return mech;
  return ok({ mech: mech.value, inner: buf.slice(oidEnd, bodyStart + bodyLength) });
}
