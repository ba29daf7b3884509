/**
 * The small layer between asn1js and the SPNEGO messages: bounded parsing that never throws, and
 * the explicit context tags RFC 4178 §4.2 uses ("DEFINITIONS EXPLICIT TAGS").
 */
import * as asn1js from 'asn1js';
import type { DecodeResult } from './result.js';
import { fail, ok } from './result.js';

/**
 * Largest token accepted. Windows caps a Kerberos token at MaxTokenSize (48000 by default, 65535
 * at most, [MS-KILE] §3.2.5.8 notes); SPNEGO adds a few dozen bytes of framing.
 */
export const MAX_TOKEN_SIZE = 0x20000;

/** asn1js tag classes. */
export const TagClass = { universal: 1, application: 2, context: 3, private: 4 } as const;

/** Universal tag numbers used by SPNEGO (X.680 §8.4). */
export const Universal = {
  bitString: 3,
  octetString: 4,
  oid: 6,
  enumerated: 10,
  sequence: 16,
  generalString: 27,
} as const;

/** Limits for untrusted input: SPNEGO nests at most six deep and holds a handful of nodes. */
const PARSE_LIMITS = { maxDepth: 16, maxNodes: 512, maxContentLength: MAX_TOKEN_SIZE } as const;

/** Parses exactly one BER element filling `bytes`; any asn1js error or exception becomes a result. */
export function parseOne(bytes: Uint8Array, what: string): DecodeResult<asn1js.AsnType> {
  if (bytes.length === 0) return fail('empty', `${what}: no bytes`);
  if (bytes.length > MAX_TOKEN_SIZE) return fail('oversize', `${what}: ${bytes.length} bytes`);
  try {
    const { offset, result } = asn1js.fromBER(bytes, PARSE_LIMITS);
    if (offset === -1 || result.error !== '') {
      return fail('malformed-der', `${what}: ${result.error === '' ? 'undecodable' : result.error}`);
    }
    if (offset !== bytes.length) return fail('trailing-bytes', `${what}: ${bytes.length - offset} bytes after the value`);
    return ok(result);
  } catch (e) {
    return fail('malformed-der', `${what}: ${e instanceof Error ? e.message : 'undecodable'}`);
  }
}

/** True when `node` carries the given class and tag number. */
export function hasTag(node: asn1js.AsnType, tagClass: number, tagNumber: number): boolean {
  return node.idBlock.tagClass === tagClass && node.idBlock.tagNumber === tagNumber;
}

/** The children of a constructed node, or undefined for a primitive one. */
export function childrenOf(node: asn1js.AsnType): readonly asn1js.AsnType[] | undefined {
  if (!node.idBlock.isConstructed) return undefined;
  const value: unknown = (node.valueBlock as { value?: unknown }).value;
  return Array.isArray(value) ? (value as asn1js.AsnType[]) : undefined;
}

/** The bytes a node was decoded from (tag, length and contents), copied. */
export function rawOf(node: asn1js.AsnType): Uint8Array {
  return node.valueBeforeDecodeView.slice();
}

/**
 * Reads a SEQUENCE of explicitly tagged, optional fields: each [n] at most once, in ascending order,
 * unknown tags refused. Returns the single element inside each tag, by tag number.
 */
export function taggedFields(
  seq: asn1js.AsnType,
  known: readonly number[],
  what: string,
): DecodeResult<ReadonlyMap<number, asn1js.AsnType>> {
  if (!hasTag(seq, TagClass.universal, Universal.sequence)) return fail('unexpected-tag', `${what} is not a SEQUENCE`);
  const items = childrenOf(seq);
  if (items === undefined) return fail('malformed-der', `${what} is not constructed`);
  const out = new Map<number, asn1js.AsnType>();
  let last = -1;
  for (const item of items) {
    const n = item.idBlock.tagNumber;
    if (item.idBlock.tagClass !== TagClass.context || !known.includes(n)) {
      return fail('unexpected-tag', `${what}: unexpected element (class ${item.idBlock.tagClass}, tag ${n})`);
    }
    if (out.has(n)) return fail('duplicate-field', `${what}: [${n}] twice`);
    if (n < last) return fail('unexpected-tag', `${what}: [${n}] out of order`);
    last = n;
    const inner = childrenOf(item);
    if (inner?.length !== 1 || inner[0] === undefined) {
      return fail('malformed-der', `${what}: [${n}] must hold exactly one element`);
    }
    out.set(n, inner[0]);
  }
  return ok(out);
}

/** An OCTET STRING's contents (primitive form; SPNEGO encoders never use the constructed one). */
export function octets(node: asn1js.AsnType, what: string): DecodeResult<Uint8Array> {
  if (!(node instanceof asn1js.OctetString) || node.idBlock.isConstructed) {
    return fail('unexpected-tag', `${what} is not a primitive OCTET STRING`);
  }
  return ok(node.valueBlock.valueHexView.slice());
}

/** An OBJECT IDENTIFIER in dotted form. */
export function oid(node: asn1js.AsnType, what: string): DecodeResult<string> {
  if (!(node instanceof asn1js.ObjectIdentifier)) return fail('unexpected-tag', `${what} is not an OBJECT IDENTIFIER`);
  const s = node.getValue();
  if (s === '' || !/^\d+(\.\d+)+$/.test(s)) return fail('bad-value', `${what}: unreadable OID`);
  return ok(s);
}

/** Wraps `inner` in an explicit context tag [n]. */
export function explicit(n: number, inner: asn1js.AsnType): asn1js.Constructed {
  return new asn1js.Constructed({ idBlock: { tagClass: TagClass.context, tagNumber: n }, value: [inner] });
}

/** DER-encodes a node. */
export function toDer(node: asn1js.AsnType): Uint8Array {
  return new Uint8Array(node.toBER(false));
}
