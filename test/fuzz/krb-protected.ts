/**
 * What a MAC or an encryption decides in a Kerberos or SPNEGO token: the etype and cipher of every
 * EncryptedData (RFC 4120 §5.2.9) in an AP-REQ (the ticket's enc-part and the authenticator, §5.5.1)
 * or an AP-REP (§5.5.2), inside GSS framing (RFC 4121 §4.1) or SPNEGO (RFC 4178 §4.2), plus a
 * SPNEGO mechListMIC. The rest (msg-type, ap-options, the ticket's realm, sname and kvno, SPNEGO's
 * mechTypes and reqFlags when no MIC is exchanged) is not protected, so a change there may pass.
 */
import { DerClass, UTag, ctx, readTlv } from '../../packages/decode/src/der.js';
import type { Tlv } from '../../packages/decode/src/der.js';

const KRB5_OID = '2a864886f712010202';
const SPNEGO_OID = '2b0601050502';
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function tlv(bytes: Uint8Array): Tlv | undefined {
  const r = readTlv(bytes);
  return r.ok && r.end === bytes.length && r.tlv.fault === undefined ? r.tlv : undefined;
}

/** etype and cipher of an EncryptedData (the kvno is left out: it only names the key). */
function encrypted(t: Tlv | undefined): string | undefined {
  const etype = ctx(t, 0);
  const cipher = ctx(t, 2);
  return etype && cipher?.cls === DerClass.Universal && cipher.tag === UTag.OCTET_STRING
    ? `${hex(etype.content)}:${hex(cipher.content)}`
    : undefined;
}

/** AP-REQ [APPLICATION 14] or AP-REP [APPLICATION 15] after the two TOK_ID bytes. */
function krbMessage(der: Uint8Array): string[] | undefined {
  const app = tlv(der);
  const seq = app?.cls === DerClass.Application ? app.children[0] : undefined;
  if (app?.tag === 14) {
    const ticket = ctx(seq, 3)?.children[0];
    const parts = [encrypted(ctx(ticket, 3)), encrypted(ctx(seq, 4))];
    return parts.every((p) => p !== undefined) ? parts : undefined;
  }
  if (app?.tag === 15) {
    const part = encrypted(ctx(seq, 2));
    return part === undefined ? undefined : [part];
  }
  return undefined;
}

/** A framed krb5 token: [APPLICATION 0] { mech OID, TOK_ID(2), message }. */
function framed(token: Uint8Array): { oid: string; inner: Uint8Array } | undefined {
  const r = readTlv(token, 0, 0, 0, false);
  if (!r.ok || r.end !== token.length || r.tlv.cls !== DerClass.Application || r.tlv.tag !== 0) return undefined;
  const oid = readTlv(r.tlv.content);
  if (!oid.ok || oid.tlv.tag !== UTag.OID) return undefined;
  return { oid: hex(oid.tlv.content), inner: r.tlv.content.subarray(oid.end) };
}

/** SPNEGO NegTokenInit [0] / NegTokenResp [1]: the inner token at [2] and the mechListMIC at [3]. */
function spnego(der: Uint8Array): string[] | undefined {
  const choice = tlv(der);
  if (choice?.cls !== DerClass.Context || (choice.tag !== 0 && choice.tag !== 1)) return undefined;
  const seq = choice.children[0];
  const inner = ctx(seq, 2);
  const mic = ctx(seq, 3);
  const parts: string[] = [];
  if (inner !== undefined) {
    const p = protectedParts(inner.content);
    if (p === undefined) return undefined;
    parts.push(...p);
  }
  if (mic !== undefined) parts.push(`mic:${hex(mic.content)}`);
  return parts;
}

/** The protected parts of a handshake token, or undefined when it does not parse as one. */
function protectedParts(token: Uint8Array): string[] | undefined {
  const f = framed(token);
  if (f?.oid === KRB5_OID) return krbMessage(f.inner.subarray(2));
  if (f?.oid === SPNEGO_OID) return spnego(f.inner);
  if (f === undefined) return spnego(token);
  return undefined;
}

/**
 * Whether a change from `sent` to `delivered` must be refused: both parse into as many protected
 * parts, and one differs. A token that no longer parses here, or in which a part went missing, is
 * undecided: MIT's SPNEGO decoder is more lenient than DER (it reads a responseToken whose [2]
 * header claims no content, found by the fuzzer), so it may still see the genuine part.
 */
export function protectedChanged(sent: Uint8Array, delivered: Uint8Array): boolean {
  const a = protectedParts(sent);
  const b = protectedParts(delivered);
  return a !== undefined && b !== undefined && a.length === b.length && a.some((x, i) => x !== b[i]);
}
