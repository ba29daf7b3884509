/**
 * NegTokenInit (RFC 4178 §4.2.1) and NegTokenInit2 ([MS-SPNG] §2.2.1), the body of the first token.
 *
 *   NegTokenInit  ::= SEQUENCE { mechTypes [0], reqFlags [1] OPTIONAL, mechToken [2] OPTIONAL,
 *                                mechListMIC [3] OPTIONAL }
 *   NegTokenInit2 ::= SEQUENCE { mechTypes [0] OPTIONAL, reqFlags [1] OPTIONAL, mechToken [2] OPTIONAL,
 *                                negHints [3] NegHints OPTIONAL, mechListMIC [4] OPTIONAL }
 *   NegHints      ::= SEQUENCE { hintName [0] GeneralString OPTIONAL, hintAddress [1] OCTET STRING OPTIONAL }
 *
 * The two differ at [3]: a SEQUENCE there is negHints (NegTokenInit2), an OCTET STRING is the MIC.
 */
import { decodeContextFlags, encodeContextFlags } from './context-flags.js';
import type { DecodeResult, Tlv } from '@sspkit/der';
import {
  childrenOf,
  contentOf,
  explicit,
  fail,
  generalString,
  hasTag,
  octets,
  octetString,
  oid,
  oidOf,
  ok,
  parseOne,
  rawOf,
  sequence,
  TagClass,
  taggedFields,
  Universal,
} from '@sspkit/der';

/** The hints a server puts in NegTokenInit2 ([MS-SPNG] §2.2.1). */
export interface NegHints {
  readonly hintName?: string;
  readonly hintAddress?: Uint8Array;
}

/**
 * The hint name Windows sends: [MS-SPNG] §3.2.5.2 says the field is informative only, and Windows
 * servers fill it with this fixed string.
 */
export const WINDOWS_HINT_NAME = 'not_defined_in_RFC4178@please_ignore';

/** A decoded NegTokenInit or NegTokenInit2. */
export interface NegTokenInit {
  readonly kind: 'init' | 'init2';
  /** Mechanism OIDs in the sender's preference order. */
  readonly mechTypes: readonly string[];
  /**
   * The DER of the MechTypeList exactly as it was received (or encoded): what mechListMIC covers
   * (RFC 4178 §5). Empty when an init2 carries no list.
   */
  readonly mechTypesDer: Uint8Array;
  readonly reqFlags?: number;
  readonly mechToken?: Uint8Array;
  readonly negHints?: NegHints;
  readonly mechListMIC?: Uint8Array;
}

/** What the encoder needs; `negHints` makes it a NegTokenInit2. */
export interface NegTokenInitFields {
  readonly mechTypes: readonly string[];
  readonly reqFlags?: number;
  readonly mechToken?: Uint8Array;
  readonly negHints?: NegHints;
  readonly mechListMIC?: Uint8Array;
}

/** The DER of a MechTypeList (SEQUENCE OF MechType): the bytes mechListMIC is computed over (RFC 4178 §5). */
export function encodeMechTypes(mechs: readonly string[]): Uint8Array {
  return sequence(...mechs.map(oidOf));
}

/** The NegTokenInit / NegTokenInit2 SEQUENCE (not yet tagged [0] nor framed). */
export function negTokenInitBody(f: NegTokenInitFields): Uint8Array {
  const parts: Uint8Array[] = [explicit(0, encodeMechTypes(f.mechTypes))];
  if (f.reqFlags !== undefined) parts.push(explicit(1, encodeContextFlags(f.reqFlags)));
  if (f.mechToken !== undefined) parts.push(explicit(2, octetString(f.mechToken)));
  if (f.negHints !== undefined) {
    const hints: Uint8Array[] = [];
    if (f.negHints.hintName !== undefined) hints.push(explicit(0, generalString(f.negHints.hintName)));
    if (f.negHints.hintAddress !== undefined) hints.push(explicit(1, octetString(f.negHints.hintAddress)));
    parts.push(explicit(3, sequence(...hints)));
  }
  if (f.mechListMIC !== undefined) parts.push(explicit(f.negHints === undefined ? 3 : 4, octetString(f.mechListMIC)));
  return sequence(...parts);
}

function decodeMechTypes(node: Tlv): DecodeResult<readonly string[]> {
  if (!hasTag(node, TagClass.universal, Universal.sequence))
    return fail('unexpected-tag', 'mechTypes is not a SEQUENCE');
  const items = childrenOf(node, 'mechTypes');
  if (!items.ok) return items;
  const out: string[] = [];
  for (const item of items.value) {
    const o = oid(item, 'mechTypes element');
    if (!o.ok) return o;
    out.push(o.value);
  }
  return ok(out);
}

function decodeNegHints(node: Tlv): DecodeResult<NegHints> {
  const fields = taggedFields(node, [0, 1], 'NegHints');
  if (!fields.ok) return fields;
  const name = fields.value.get(0);
  const address = fields.value.get(1);
  let hintName: string | undefined;
  if (name !== undefined) {
    if (!hasTag(name, TagClass.universal, Universal.generalString) || name.constructed) {
      return fail('unexpected-tag', 'hintName is not a GeneralString');
    }
    hintName = new TextDecoder('latin1').decode(contentOf(name));
  }
  let hintAddress: Uint8Array | undefined;
  if (address !== undefined) {
    const a = octets(address, 'hintAddress');
    if (!a.ok) return a;
    hintAddress = a.value;
  }
  return ok({ ...(hintName !== undefined && { hintName }), ...(hintAddress !== undefined && { hintAddress }) });
}

/** Decodes the NegTokenInit / NegTokenInit2 SEQUENCE node. */
export function decodeNegTokenInitNode(seq: Tlv): DecodeResult<NegTokenInit> {
  const fields = taggedFields(seq, [0, 1, 2, 3, 4], 'NegTokenInit');
  if (!fields.ok) return fields;
  const f = fields.value;
  const three = f.get(3);
  const init2 = f.has(4) || (three !== undefined && hasTag(three, TagClass.universal, Universal.sequence));
  const list = f.get(0);
  // mechTypes is mandatory in NegTokenInit (RFC 4178 §4.2.1), optional in NegTokenInit2.
  if (list === undefined && !init2) return fail('missing-field', 'NegTokenInit without mechTypes');
  let mechTypes: readonly string[] = [];
  let mechTypesDer: Uint8Array = new Uint8Array(0);
  if (list !== undefined) {
    const m = decodeMechTypes(list);
    if (!m.ok) return m;
    mechTypes = m.value;
    mechTypesDer = rawOf(list);
  }
  let reqFlags: number | undefined;
  const flagsNode = f.get(1);
  if (flagsNode !== undefined) {
    const r = decodeContextFlags(flagsNode);
    if (!r.ok) return r;
    reqFlags = r.value;
  }
  let mechToken: Uint8Array | undefined;
  const tokenNode = f.get(2);
  if (tokenNode !== undefined) {
    const t = octets(tokenNode, 'mechToken');
    if (!t.ok) return t;
    mechToken = t.value;
  }
  let negHints: NegHints | undefined;
  let micNode = f.get(4);
  if (init2) {
    if (three !== undefined) {
      const h = decodeNegHints(three);
      if (!h.ok) return h;
      negHints = h.value;
    }
  } else {
    micNode = three;
  }
  let mechListMIC: Uint8Array | undefined;
  if (micNode !== undefined) {
    const m = octets(micNode, 'mechListMIC');
    if (!m.ok) return m;
    mechListMIC = m.value;
  }
  return ok({
    kind: init2 ? 'init2' : 'init',
    mechTypes,
    mechTypesDer,
    ...(reqFlags !== undefined && { reqFlags }),
    ...(mechToken !== undefined && { mechToken }),
    ...(negHints !== undefined && { negHints }),
    ...(mechListMIC !== undefined && { mechListMIC }),
  });
}

/** Parses a bare NegTokenInit SEQUENCE (no [0] tag, no framing); used by tests and tools. */
export function decodeNegTokenInitBody(bytes: Uint8Array): DecodeResult<NegTokenInit> {
  const node = parseOne(bytes, 'NegTokenInit');
  return node.ok ? decodeNegTokenInitNode(node.value) : node;
}
