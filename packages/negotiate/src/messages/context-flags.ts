/**
 * ContextFlags, the reqFlags BIT STRING of NegTokenInit (RFC 4178 §4.2.1). Bit n of the ASN.1 named
 * bit list is bit n of the number here (deleg = 1 << 0 ...). RFC 4178 says the field SHOULD be
 * omitted by senders and ignored by receivers; it is decoded for display and never acted on.
 */
import * as asn1js from 'asn1js';
import type { DecodeResult } from './result.js';
import { fail, ok } from './result.js';

/** The named bits of ContextFlags (RFC 4178 §4.2.1). */
export const ContextFlag = {
  deleg: 1 << 0,
  mutual: 1 << 1,
  replay: 1 << 2,
  sequence: 1 << 3,
  anon: 1 << 4,
  conf: 1 << 5,
  integ: 1 << 6,
} as const;

const NAMED_BITS = 7;

/** Encodes as DER: trailing zero bits removed (X.690 §11.2.2). */
export function encodeContextFlags(flags: number): asn1js.BitString {
  let highest = -1;
  for (let i = 0; i < NAMED_BITS; i++) if ((flags & (1 << i)) !== 0) highest = i;
  if (highest < 0) return new asn1js.BitString({ valueHex: new Uint8Array(0), unusedBits: 0 });
  let byte = 0;
  for (let i = 0; i <= highest; i++) if ((flags & (1 << i)) !== 0) byte |= 0x80 >> i;
  return new asn1js.BitString({ valueHex: Uint8Array.of(byte), unusedBits: 7 - highest });
}

/** Decodes any BIT STRING; bits beyond the named ones are dropped. */
export function decodeContextFlags(node: asn1js.AsnType): DecodeResult<number> {
  if (!(node instanceof asn1js.BitString) || node.idBlock.isConstructed) {
    return fail('unexpected-tag', 'reqFlags is not a primitive BIT STRING');
  }
  const bytes = node.valueBlock.valueHexView;
  let flags = 0;
  for (let i = 0; i < NAMED_BITS && i >> 3 < bytes.length; i++) {
    if (((bytes[i >> 3] ?? 0) & (0x80 >> (i & 7))) !== 0) flags |= 1 << i;
  }
  return ok(flags);
}
