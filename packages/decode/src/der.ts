/**
 * A bounded, never-throwing reader of DER TLVs (X.690 §8.1) that keeps every offset and keeps what
 * it decoded before a fault. Written by hand on purpose: an explainer must say where a broken token
 * stops, and asn1js (measured, 4.0.0) returns no children at all when a SEQUENCE is cut short by two
 * bytes. Definite lengths only (DER); indefinite lengths are reported as a stop.
 */

export const DerClass = { Universal: 0, Application: 1, Context: 2, Private: 3 } as const;
export type DerClass = (typeof DerClass)[keyof typeof DerClass];

/** One TLV. `at` is the offset of its identifier octet in the whole token. */
export interface Tlv {
  readonly cls: DerClass;
  readonly tag: number;
  readonly constructed: boolean;
  readonly at: number;
  readonly header: number;
  readonly content: Uint8Array;
  /** Parsed children of a constructed TLV (as many as decoded). */
  readonly children: readonly Tlv[];
  /** Set when the children of this TLV could not all be decoded. */
  readonly fault?: { readonly at: number; readonly reason: string };
}

export type TlvResult =
  | { readonly ok: true; readonly tlv: Tlv; readonly end: number }
  | { readonly ok: false; readonly at: number; readonly reason: string };

const MAX_DEPTH = 32;

/**
 * Reads one TLV starting at `start` of `bytes`; `base` is added to every reported offset. With
 * `descend` false the content of a constructed TLV is left unparsed (GSS framing holds raw bytes).
 */
export function readTlv(bytes: Uint8Array, start = 0, base = 0, depth = 0, descend = true): TlvResult {
  let p = start;
  const stop = (reason: string): TlvResult => ({ ok: false, at: base + p, reason });
  if (p >= bytes.length) return stop('end of input where a tag was expected');
  const id = bytes[p++] ?? 0;
  const cls = (id >> 6) as DerClass;
  const constructed = (id & 0x20) !== 0;
  let tag = id & 0x1f;
  if (tag === 0x1f) {
    tag = 0;
    for (let n = 0; ; n++) {
      if (p >= bytes.length) return stop('end of input inside a long tag');
      if (n >= 4) return stop('tag number too long');
      const b = bytes[p++] ?? 0;
      tag = tag * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
  }
  if (p >= bytes.length) return stop('end of input where a length was expected');
  const first = bytes[p++] ?? 0;
  let length = first;
  if (first === 0x80) return stop('indefinite length (not DER)');
  if (first > 0x80) {
    const n = first & 0x7f;
    if (n > 4) return stop(`length of ${n} octets is beyond any token`);
    if (p + n > bytes.length) return stop('end of input inside a length');
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (bytes[p++] ?? 0);
  }
  const header = p - start;
  if (p + length > bytes.length) {
    return stop(`length ${length} runs ${p + length - bytes.length} bytes past the end of the input`);
  }
  const content = bytes.subarray(p, p + length);
  const children: Tlv[] = [];
  let fault: { at: number; reason: string } | undefined;
  if (constructed && descend) {
    if (depth >= MAX_DEPTH) {
      fault = { at: base + p, reason: 'nested too deeply' };
    } else {
      let q = 0;
      while (q < content.length) {
        const r = readTlv(content, q, base + p, depth + 1);
        if (!r.ok) {
          fault = { at: r.at, reason: r.reason };
          break;
        }
        children.push(r.tlv);
        q = r.end;
        const inner = r.tlv.fault ?? firstFault(r.tlv);
        if (inner !== undefined && fault === undefined) fault = inner;
      }
    }
  }
  const tlv: Tlv = { cls, tag, constructed, at: base + start, header, content, children, ...(fault ? { fault } : {}) };
  return { ok: true, tlv, end: p + length };
}

function firstFault(t: Tlv): { at: number; reason: string } | undefined {
  for (const c of t.children) {
    const f = c.fault ?? firstFault(c);
    if (f !== undefined) return f;
  }
  return undefined;
}

/** The child `[n]` of a SEQUENCE with EXPLICIT context tags, unwrapped to its inner TLV. */
export function ctx(t: Tlv | undefined, n: number): Tlv | undefined {
  const c = t?.children.find((x) => x.cls === DerClass.Context && x.tag === n);
  return c?.children[0];
}

/** True for a universal TLV of the given tag. */
export const isUniversal = (t: Tlv | undefined, tag: number): boolean =>
  t !== undefined && t.cls === DerClass.Universal && t.tag === tag;

export const UTag = {
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  NULL: 5,
  OID: 6,
  ENUMERATED: 10,
  UTF8String: 12,
  SEQUENCE: 16,
  IA5String: 22,
  GeneralizedTime: 24,
  GeneralString: 27,
} as const;

/** An INTEGER's value (two's complement), or undefined when it is not one. */
function integer(t: Tlv | undefined): bigint | undefined {
  if (t === undefined || t.content.length === 0 || t.content.length > 16) return undefined;
  let v = 0n;
  for (const b of t.content) v = (v << 8n) | BigInt(b);
  if ((t.content[0] ?? 0) & 0x80) v -= 1n << BigInt(8 * t.content.length);
  return v;
}

/** An INTEGER that fits a JS number. */
export function int(t: Tlv | undefined): number | undefined {
  const v = integer(t);
  return v === undefined || v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)
    ? undefined
    : Number(v);
}

/** An OBJECT IDENTIFIER's dotted form (X.690 §8.19). */
export function oid(t: Tlv | undefined): string | undefined {
  if (t === undefined || !isUniversal(t, UTag.OID)) return undefined;
  return oidFromContent(t.content);
}

export function oidFromContent(c: Uint8Array): string | undefined {
  if (c.length === 0 || c.length > 64) return undefined;
  const arcs: number[] = [];
  let v = 0;
  for (let i = 0; i < c.length; i++) {
    const b = c[i] ?? 0;
    v = v * 128 + (b & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 128) return undefined;
    if ((b & 0x80) === 0) {
      arcs.push(v);
      v = 0;
    } else if (i === c.length - 1) return undefined;
  }
  const first = arcs.shift() ?? 0;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs].join('.');
}

/** A string type's text (KerberosString is GeneralString restricted to IA5 in practice: read as UTF-8). */
export function text(t: Tlv | undefined): string | undefined {
  if (t === undefined || t.cls !== DerClass.Universal || t.constructed) return undefined;
  return Buffer.from(t.content).toString('utf8');
}

/** A BIT STRING's flags as a 32-bit number (bit 0 is the most significant, as Kerberos counts them). */
export function bits32(t: Tlv | undefined): number | undefined {
  if (t === undefined || !isUniversal(t, UTag.BIT_STRING) || t.content.length < 1) return undefined;
  let v = 0;
  for (let i = 1; i < 5; i++) v = (v << 8) | (t.content[i] ?? 0);
  return v >>> 0;
}

/** A GeneralizedTime (`YYYYMMDDHHMMSSZ`) as ISO 8601, or its raw text. */
export function time(t: Tlv | undefined): string | undefined {
  const s = text(t);
  if (s === undefined) return undefined;
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z` : s;
}
