/**
 * GSS-API framing (RFC 2743 §3.1 InitialContextToken; RFC 4121 §4.1 TOK_ID) and SPNEGO
 * (RFC 4178 §4.2, with [MS-SPNG] §2.2.1 NegTokenInit2), explained on the tolerant DER reader.
 */
import type { Tlv } from './der.js';
import { DerClass, UTag, bits32, ctx, isUniversal, oid, oidFromContent, readTlv, text } from './der.js';
import type { Field, Stop, TokenExplanation } from './types.js';
import { bitNames, field } from './types.js';

export const OID = {
  SPNEGO: '1.3.6.1.5.5.2',
  KRB5: '1.2.840.113554.1.2.2',
  KRB5_MS: '1.2.840.48018.1.2.2',
  KRB5_U2U: '1.2.840.113554.1.2.2.3',
  NTLMSSP: '1.3.6.1.4.1.311.2.2.10',
  NEGOEX: '1.3.6.1.4.1.311.2.2.30',
  IAKERB: '1.3.6.1.5.2.5',
} as const;

const MECH_NAMES: Readonly<Record<string, string>> = {
  [OID.SPNEGO]: 'SPNEGO',
  [OID.KRB5]: 'Kerberos 5',
  [OID.KRB5_MS]: 'Kerberos 5 (Microsoft legacy OID)',
  [OID.KRB5_U2U]: 'Kerberos 5 user-to-user',
  [OID.NTLMSSP]: 'NTLMSSP',
  [OID.NEGOEX]: 'NEGOEX',
  [OID.IAKERB]: 'IAKERB',
};

export const mechName = (o: string): string => (MECH_NAMES[o] !== undefined ? `${MECH_NAMES[o]} (${o})` : o);

/** RFC 4121 §4.1 TOK_ID values of Kerberos context tokens. */
const KRB5_TOK_IDS: Readonly<Record<number, string>> = { 0x0100: 'AP-REQ', 0x0200: 'AP-REP', 0x0300: 'KRB-ERROR' };

/** ContextFlags (RFC 4178 §4.2.1), bit 0 the most significant. */
const CONTEXT_FLAGS: Readonly<Record<string, number>> = {
  delegFlag: 1 << 31,
  mutualFlag: 1 << 30,
  replayFlag: 1 << 29,
  sequenceFlag: 1 << 28,
  anonFlag: 1 << 27,
  confFlag: 1 << 26,
  integFlag: 1 << 25,
};

const NEG_STATES: Readonly<Record<number, string>> = {
  0: 'accept-completed',
  1: 'accept-incomplete',
  2: 'reject',
  3: 'request-mic',
};

/** A GSS InitialContextToken split into its mechanism and inner token. */
export interface Framed {
  readonly mech: string;
  readonly inner: Uint8Array;
  /** Offset of `inner` in the whole input. */
  readonly innerAt: number;
}

/** Reads RFC 2743 §3.1 framing: `[APPLICATION 0] { thisMech OID, innerToken }`. */
export function unframe(b: Uint8Array, base: number): { ok: true; framed: Framed } | { ok: false; stop: Stop } {
  const r = readTlv(b, 0, base, 0, false);
  if (!r.ok) return { ok: false, stop: { at: r.at, reason: r.reason } };
  if (r.tlv.cls !== DerClass.Application || r.tlv.tag !== 0)
    return { ok: false, stop: { at: base, reason: 'not a GSS InitialContextToken' } };
  const contentAt = r.tlv.header;
  const m = readTlv(r.tlv.content, 0, base + contentAt);
  if (!m.ok) return { ok: false, stop: { at: m.at, reason: m.reason } };
  const mech = oid(m.tlv);
  if (mech === undefined) return { ok: false, stop: { at: m.tlv.at, reason: 'thisMech is not an OBJECT IDENTIFIER' } };
  return { ok: true, framed: { mech, inner: r.tlv.content.subarray(m.end), innerAt: base + contentAt + m.end } };
}

/** Splits an RFC 4121 Kerberos inner token into its TOK_ID and the Kerberos message. */
export function krb5Inner(inner: Uint8Array): { tokId: number; tokName: string; body: Uint8Array } | undefined {
  if (inner.length < 2) return undefined;
  const tokId = ((inner[0] ?? 0) << 8) | (inner[1] ?? 0);
  return { tokId, tokName: KRB5_TOK_IDS[tokId] ?? 'unknown TOK_ID', body: inner.subarray(2) };
}

/** What SPNEGO's explainer needs from the others: how to explain a mechanism token. */
export type InnerExplainer = (mech: string | undefined, token: Uint8Array, at: number) => TokenExplanation;

function mechList(t: Tlv | undefined): { names: string[]; fields: Field[] } {
  const names: string[] = [];
  for (const c of t?.children ?? []) {
    const o = isUniversal(c, UTag.OID) ? oidFromContent(c.content) : undefined;
    names.push(o ?? '(not an OID)');
  }
  return { names, fields: names.map((n, i) => field(`[${i}]`, mechName(n))) };
}

/** Explains a NegotiationToken (the content after framing for NegTokenInit, or a bare NegTokenResp). */
export function explainSpnego(b: Uint8Array, base: number, innerOf: InnerExplainer, framed: boolean): TokenExplanation {
  const r = readTlv(b, 0, base);
  if (!r.ok) return { kind: 'spnego', summary: 'SPNEGO token', fields: [], stopped: { at: r.at, reason: r.reason } };
  const choice = r.tlv;
  const seq = choice.children[0];
  const stopped = choice.fault !== undefined ? { stopped: { at: choice.fault.at, reason: choice.fault.reason } } : {};
  if (choice.cls !== DerClass.Context || seq === undefined || !isUniversal(seq, UTag.SEQUENCE)) {
    return {
      kind: 'spnego',
      summary: 'SPNEGO token',
      fields: [],
      stopped: { at: choice.at, reason: 'neither [0] NegTokenInit nor [1] NegTokenResp' },
    };
  }
  const inner: TokenExplanation[] = [];
  if (choice.tag === 0) {
    const mechs = mechList(ctx(seq, 0));
    const init2 = seq.children.some(
      (c) => c.cls === DerClass.Context && c.tag === 3 && c.children[0]?.tag === UTag.SEQUENCE,
    );
    const fields: Field[] = [field('mechTypes', mechs.names.length, mechs.fields)];
    const flags = bits32(ctx(seq, 1));
    if (flags !== undefined) fields.push(field('reqFlags', bitNames(flags, CONTEXT_FLAGS).join(', ') || 'none'));
    const tok = ctx(seq, 2);
    if (tok !== undefined) {
      fields.push(field('mechToken', `${tok.content.length} bytes (for ${mechName(mechs.names[0] ?? '?')})`));
      inner.push(innerOf(mechs.names[0], tok.content, tok.at + tok.header));
    }
    if (init2) {
      const hints = ctx(seq, 3);
      const hintName = text(ctx(hints, 0));
      fields.push(field('negHints', undefined, hintName !== undefined ? [field('hintName', hintName)] : []));
    }
    const mic = ctx(seq, init2 ? 4 : 3);
    fields.push(field('mechListMIC', mic === undefined ? 'absent' : `present, ${mic.content.length} bytes`));
    const name = init2 ? 'NegTokenInit2 ([MS-SPNG] §2.2.1)' : 'NegTokenInit (RFC 4178 §4.2.1)';
    return { kind: 'spnego', summary: `SPNEGO ${name}${framed ? '' : ', unframed'}`, fields, inner, ...stopped };
  }
  if (choice.tag === 1) {
    const fields: Field[] = [];
    const state = ctx(seq, 0);
    const s = state !== undefined && state.content.length === 1 ? (state.content[0] ?? 0) : undefined;
    fields.push(field('negState', s === undefined ? 'absent' : `${NEG_STATES[s] ?? 'unknown'} (${s})`));
    const mech = oid(ctx(seq, 1));
    if (mech !== undefined) fields.push(field('supportedMech', mechName(mech)));
    const tok = ctx(seq, 2);
    if (tok !== undefined) {
      fields.push(field('responseToken', `${tok.content.length} bytes`));
      inner.push(innerOf(mech, tok.content, tok.at + tok.header));
    }
    const mic = ctx(seq, 3);
    fields.push(field('mechListMIC', mic === undefined ? 'absent' : `present, ${mic.content.length} bytes`));
    return { kind: 'spnego', summary: 'SPNEGO NegTokenResp (RFC 4178 §4.2.2)', fields, inner, ...stopped };
  }
  return {
    kind: 'spnego',
    summary: 'SPNEGO token',
    fields: [],
    stopped: { at: choice.at, reason: `unknown choice [${choice.tag}]` },
  };
}
