/**
 * The DER that SPNEGO and the Kerberos AP-REQ need (X.690 §8, §10), written by hand: definite lengths,
 * low tag numbers, SEQUENCE, explicit context tags, OBJECT IDENTIFIER, OCTET STRING, ENUMERATED, BIT
 * STRING and GeneralString. asn1js was measured first and dropped: on this machine it spent 100–200 µs
 * per OID or OCTET STRING, which made a Negotiate handshake 7–10× slower than the package inside it
 * (see the README, "Why by hand"). Every reader returns a DecodeResult and never throws.
 */
import type { DecodeResult } from './result.js';
import { fail, ok } from './result.js';

/**
 * Largest token accepted. Windows caps a Kerberos token at MaxTokenSize (48000 by default, 65535
 * at most); SPNEGO adds a few dozen bytes of framing.
 */
export const MAX_TOKEN_SIZE = 0x20000;

/** Tag classes (X.690 §8.1.2.2), as the two high bits of the identifier octet. */
export const TagClass = { universal: 0, application: 1, context: 2, private: 3 } as const;

/** Universal tag numbers used by SPNEGO (X.680 §8.4). */
export const Universal = {
  bitString: 3,
  octetString: 4,
  oid: 6,
  enumerated: 10,
  sequence: 16,
  generalString: 27,
} as const;

/** One decoded element: where it lies in `buf` (a view, nothing copied). */
export interface Tlv {
  readonly tagClass: number;
  readonly constructed: boolean;
  readonly tag: number;
  /** The whole buffer the element was read from. */
  readonly buf: Uint8Array;
  /** Offset of the identifier octet. */
  readonly start: number;
  /** Offset of the first content octet. */
  readonly contentStart: number;
  /** Offset just past the last content octet. */
  readonly end: number;
}

/** The element's content octets (a view). */
export const contentOf = (t: Tlv): Uint8Array => t.buf.subarray(t.contentStart, t.end);
/** The element's whole encoding, copied. */
export const rawOf = (t: Tlv): Uint8Array => t.buf.slice(t.start, t.end);

/** True when `t` carries the given class and tag number. */
export function hasTag(t: Tlv, tagClass: number, tag: number): boolean {
  return t.tagClass === tagClass && t.tag === tag;
}

/** Reads one element starting at `at`, which must end by `limit`. */
export function readTlv(buf: Uint8Array, at: number, limit: number, what: string): DecodeResult<Tlv> {
  const id = buf[at];
  if (id === undefined || at >= limit) return fail('truncated', `${what}: no identifier octet`);
  // High tag numbers (≥ 31) never occur in SPNEGO or in the framing around it.
  if ((id & 0x1f) === 0x1f) return fail('unexpected-tag', `${what}: high tag number`);
  const first = buf[at + 1];
  if (first === undefined || at + 1 >= limit) return fail('truncated', `${what}: no length octet`);
  let length = first;
  let contentStart = at + 2;
  if (first >= 0x80) {
    const count = first & 0x7f;
    if (count === 0) return fail('malformed-der', `${what}: indefinite length (not DER)`);
    if (count > 4) return fail('oversize', `${what}: length of ${count} octets`);
    if (at + 2 + count > limit) return fail('truncated', `${what}: length octets cut short`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (buf[at + 2 + i] ?? 0);
    contentStart = at + 2 + count;
  }
  const end = contentStart + length;
  if (end > limit) return fail('truncated', `${what}: ${length} content octets, ${limit - contentStart} present`);
  return ok({ tagClass: id >> 6, constructed: (id & 0x20) !== 0, tag: id & 0x1f, buf, start: at, contentStart, end });
}

/** Parses exactly one element filling `bytes`. */
export function parseOne(bytes: Uint8Array, what: string): DecodeResult<Tlv> {
  if (bytes.length === 0) return fail('empty', `${what}: no bytes`);
  if (bytes.length > MAX_TOKEN_SIZE) return fail('oversize', `${what}: ${bytes.length} bytes`);
  const t = readTlv(bytes, 0, bytes.length, what);
  if (!t.ok) return t;
  if (t.value.end !== bytes.length)
    return fail('trailing-bytes', `${what}: ${bytes.length - t.value.end} bytes after the value`);
  return t;
}

/** The elements inside a constructed element, which must fill its content exactly. */
export function childrenOf(t: Tlv, what: string): DecodeResult<Tlv[]> {
  if (!t.constructed) return fail('malformed-der', `${what} is not constructed`);
  const out: Tlv[] = [];
  for (let at = t.contentStart; at < t.end;) {
    const c = readTlv(t.buf, at, t.end, what);
    if (!c.ok) return c;
    out.push(c.value);
    at = c.value.end;
  }
  return ok(out);
}

/**
 * Reads a SEQUENCE of explicitly tagged, optional fields: each [n] at most once, in ascending order,
 * unknown tags refused. Returns the single element inside each tag, by tag number.
 */
export function taggedFields(seq: Tlv, known: readonly number[], what: string): DecodeResult<ReadonlyMap<number, Tlv>> {
  if (!hasTag(seq, TagClass.universal, Universal.sequence)) return fail('unexpected-tag', `${what} is not a SEQUENCE`);
  const items = childrenOf(seq, what);
  if (!items.ok) return items;
  const out = new Map<number, Tlv>();
  let last = -1;
  for (const item of items.value) {
    const n = item.tag;
    if (item.tagClass !== TagClass.context || !known.includes(n)) {
      return fail('unexpected-tag', `${what}: unexpected element (class ${item.tagClass}, tag ${n})`);
    }
    if (out.has(n)) return fail('duplicate-field', `${what}: [${n}] twice`);
    if (n < last) return fail('unexpected-tag', `${what}: [${n}] out of order`);
    last = n;
    const inner = childrenOf(item, `${what} [${n}]`);
    if (!inner.ok) return inner;
    const only = inner.value[0];
    if (inner.value.length !== 1 || only === undefined)
      return fail('malformed-der', `${what}: [${n}] must hold exactly one element`);
    out.set(n, only);
  }
  return ok(out);
}

/** An OCTET STRING's contents, copied (primitive form; SPNEGO encoders never use the constructed one). */
export function octets(t: Tlv, what: string): DecodeResult<Uint8Array> {
  if (!hasTag(t, TagClass.universal, Universal.octetString) || t.constructed) {
    return fail('unexpected-tag', `${what} is not a primitive OCTET STRING`);
  }
  return ok(t.buf.slice(t.contentStart, t.end));
}

/** An OBJECT IDENTIFIER in dotted form (X.690 §8.19). */
export function oid(t: Tlv, what: string): DecodeResult<string> {
  if (!hasTag(t, TagClass.universal, Universal.oid) || t.constructed)
    return fail('unexpected-tag', `${what} is not an OBJECT IDENTIFIER`);
  const c = contentOf(t);
  if (c.length === 0) return fail('bad-value', `${what}: empty OID`);
  const arcs: number[] = [];
  let v = 0;
  let started = false;
  for (let i = 0; i < c.length; i++) {
    const b = c[i] ?? 0;
    // A subidentifier never starts with 0x80 (X.690 §8.19.2: the fewest octets).
    if (!started && b === 0x80) return fail('bad-value', `${what}: non-minimal subidentifier`);
    started = true;
    v = v * 128 + (b & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 128) return fail('bad-value', `${what}: subidentifier too large`);
    if ((b & 0x80) === 0) {
      if (arcs.length === 0) {
        const first = v < 40 ? 0 : v < 80 ? 1 : 2;
        arcs.push(first, v - first * 40);
      } else arcs.push(v);
      v = 0;
      started = false;
    }
  }
  if (started) return fail('truncated', `${what}: OID cut short`);
  return ok(arcs.join('.'));
}

/** An ENUMERATED value (small, non-negative: SPNEGO's negState). */
export function enumerated(t: Tlv, what: string): DecodeResult<number> {
  if (!hasTag(t, TagClass.universal, Universal.enumerated) || t.constructed)
    return fail('unexpected-tag', `${what} is not ENUMERATED`);
  const c = contentOf(t);
  if (c.length === 0 || c.length > 4) return fail('bad-value', `${what}: ${c.length} content octets`);
  if (((c[0] ?? 0) & 0x80) !== 0) return fail('bad-value', `${what}: negative`);
  let v = 0;
  for (const b of c) v = v * 256 + b;
  return ok(v);
}

// ---- writing ----

/** An element from its identifier octet and its content parts (one allocation, no intermediate arrays). */
export function tlv(identifier: number, ...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const lenBytes = length < 0x80 ? 0 : length < 0x100 ? 1 : length < 0x10000 ? 2 : length < 0x1000000 ? 3 : 4;
  const out = new Uint8Array(2 + lenBytes + length);
  out[0] = identifier;
  if (lenBytes === 0) out[1] = length;
  else {
    out[1] = 0x80 | lenBytes;
    for (let i = 0; i < lenBytes; i++) out[2 + i] = (length >>> (8 * (lenBytes - 1 - i))) & 0xff;
  }
  let at = 2 + lenBytes;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** SEQUENCE of the given encodings. */
export const sequence = (...items: readonly Uint8Array[]): Uint8Array => tlv(0x30, ...items);
/** An explicit context tag [n] around one encoding. */
export const explicit = (n: number, inner: Uint8Array): Uint8Array => tlv(0xa0 | n, inner);
/** OCTET STRING. */
export const octetString = (b: Uint8Array): Uint8Array => tlv(0x04, b);
/** GeneralString (SPNEGO's hint name: ASCII in practice). */
export const generalString = (s: string): Uint8Array => tlv(0x1b, new TextEncoder().encode(s));
/** ENUMERATED with a small non-negative value. */
export function enumeratedOf(v: number): Uint8Array {
  const bytes: number[] = [];
  for (let x = v; x > 0; x = Math.floor(x / 256)) bytes.unshift(x & 0xff);
  if (bytes.length === 0 || ((bytes[0] ?? 0) & 0x80) !== 0) bytes.unshift(0);
  return tlv(0x0a, Uint8Array.from(bytes));
}

const OID_CACHE = new Map<string, Uint8Array>();

/** OBJECT IDENTIFIER from dotted form; throws RangeError on a malformed OID (a programming error). */
export function oidOf(dotted: string): Uint8Array {
  const cached = OID_CACHE.get(dotted);
  if (cached) return cached;
  const arcs = dotted.split('.').map(Number);
  const [a, b, ...rest] = arcs;
  if (
    a === undefined ||
    b === undefined ||
    arcs.some((x) => !Number.isSafeInteger(x) || x < 0) ||
    a > 2 ||
    (a < 2 && b >= 40)
  ) {
    throw new RangeError(`not an OID: ${dotted}`);
  }
  const out: number[] = [];
  for (const arc of [a * 40 + b, ...rest]) {
    const chunk: number[] = [arc % 128];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v % 128) | 0x80);
    out.push(...chunk);
  }
  const encoded = tlv(0x06, Uint8Array.from(out));
  if (OID_CACHE.size < 64) OID_CACHE.set(dotted, encoded);
  return encoded;
}
