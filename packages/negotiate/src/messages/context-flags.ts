/**
 * ContextFlags, the reqFlags BIT STRING of NegTokenInit (RFC 4178 §4.2.1). Bit n of the ASN.1 named
 * bit list is bit n of the number here (deleg = 1 << 0 ...). RFC 4178 says the field SHOULD be
 * omitted by senders and ignored by receivers; it is decoded for display and never acted on.
 */
import type { DecodeResult, Tlv } from '@sspkit/der';
import { contentOf, fail, hasTag, ok, TagClass, tlv, Universal } from '@sspkit/der';

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
export function encodeContextFlags(flags: number): Uint8Array {
  let highest = -1;
  for (let i = 0; i < NAMED_BITS; i++) if ((flags & (1 << i)) !== 0) highest = i;
  if (highest < 0) return tlv(0x03, Uint8Array.of(0));
  let byte = 0;
  for (let i = 0; i <= highest; i++) if ((flags & (1 << i)) !== 0) byte |= 0x80 >> i;
  return tlv(0x03, Uint8Array.of(7 - highest, byte));
}

/** Decodes any BIT STRING; bits beyond the named ones are dropped. */
export function decodeContextFlags(t: Tlv): DecodeResult<number> {
  if (!hasTag(t, TagClass.universal, Universal.bitString) || t.constructed) {
    return fail('unexpected-tag', 'reqFlags is not a primitive BIT STRING');
  }
  const c = contentOf(t);
  const unused = c[0];
  if (unused === undefined || unused > 7 || (c.length === 1 && unused !== 0))
    return fail('bad-value', 'reqFlags: bad unused-bits octet');
  const bits = c.subarray(1);
  let flags = 0;
  for (let i = 0; i < NAMED_BITS && i >> 3 < bits.length; i++) {
    if (((bits[i >> 3] ?? 0) & (0x80 >> (i & 7))) !== 0) flags |= 1 << i;
  }
  return ok(flags);
}
