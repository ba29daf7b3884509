/**
 * Finds the AP-REQ authenticator's ciphertext in what an acceptor receives, for the shared replay
 * check (replay.ts). The token is one of:
 *   - a Kerberos GSS initial token (RFC 2743 §3.1 framing: 0x60, the krb5 OID, then RFC 4121 §4.1's
 *     TOK_ID 01 00 and the AP-REQ);
 *   - a SPNEGO NegTokenInit whose mechToken, or NegTokenResp whose responseToken, is such a token
 *     (RFC 4178 §4.2; MIT's SPNEGO takes the AP-REQ in either).
 * The DER is read with @sspkit/der's bounded reader (never throws, lengths checked against the
 * buffer). A token that does not parse yields undefined and is left to MIT, which refuses it with the
 * mapped status; the acceptor then refuses to complete a context whose AP-REQ it could not record.
 */
import { childrenOf, hasTag, octets, parseOne, TagClass, taggedFields } from '@sspkit/der';
import type { Tlv } from '@sspkit/der';
import { decodeInitialContextToken, decodeNegotiationToken, isKerberosOid, MechOid } from '@sspkit/negotiate';

/** RFC 4121 §4.1: TOK_ID of a KRB_AP_REQ inside the GSS framing. */
const TOK_ID_AP_REQ = 0x0100;
/** RFC 4120 §5.5.1: AP-REQ ::= [APPLICATION 14]. */
const AP_REQ_TAG = 14;

/** What the replay check needs from an AP-REQ: the authenticator's EncryptedData. */
export interface ApReqAuthenticator {
  /** EncryptedData.etype (RFC 4120 §5.2.9). */
  readonly etype: number;
  /** EncryptedData.cipher, copied. */
  readonly cipher: Uint8Array;
}

function integer(t: Tlv): number | undefined {
  if (!hasTag(t, TagClass.universal, 2) || t.constructed) return undefined;
  const c = t.buf.subarray(t.contentStart, t.end);
  if (c.length === 0 || c.length > 4) return undefined;
  let v = (c[0] ?? 0) & 0x80 ? -1 : 0;
  for (const b of c) v = v * 256 + b;
  return v | 0;
}

/** The authenticator of a DER AP-REQ (RFC 4120 §5.5.1), or undefined. */
export function authenticatorOfApReq(der: Uint8Array): ApReqAuthenticator | undefined {
  const app = parseOne(der, 'AP-REQ');
  if (!app.ok || !hasTag(app.value, TagClass.application, AP_REQ_TAG)) return undefined;
  const inner = childrenOf(app.value, 'AP-REQ');
  const seq = inner.ok && inner.value.length === 1 ? inner.value[0] : undefined;
  if (seq === undefined) return undefined;
  // pvno [0], msg-type [1], ap-options [2], ticket [3], authenticator [4]: all required.
  const fields = taggedFields(seq, [0, 1, 2, 3, 4], 'AP-REQ');
  if (!fields.ok) return undefined;
  const msgType = fields.value.get(1);
  const enc = fields.value.get(4);
  if (msgType === undefined || integer(msgType) !== AP_REQ_TAG || enc === undefined) return undefined;
  // EncryptedData ::= SEQUENCE { etype [0] Int32, kvno [1] UInt32 OPTIONAL, cipher [2] OCTET STRING }
  const ed = taggedFields(enc, [0, 1, 2], 'authenticator');
  if (!ed.ok) return undefined;
  const etypeTlv = ed.value.get(0);
  const cipherTlv = ed.value.get(2);
  const etype = etypeTlv === undefined ? undefined : integer(etypeTlv);
  const cipher = cipherTlv === undefined ? undefined : octets(cipherTlv, 'cipher');
  if (etype === undefined || cipher === undefined || !cipher.ok || cipher.value.length === 0) return undefined;
  return { etype, cipher: cipher.value };
}

/** The authenticator inside a Kerberos GSS initial token (RFC 4121 §4.1), or undefined. */
function authenticatorOfKrb5Token(token: Uint8Array): ApReqAuthenticator | undefined {
  const framed = decodeInitialContextToken(token);
  if (!framed.ok) return undefined;
  const { mech, inner } = framed.value;
  if (!isKerberosOid(mech) && mech !== MechOid.kerberosUser2User) return undefined;
  if (inner.length < 3 || ((inner[0] ?? 0) << 8) + (inner[1] ?? 0) !== TOK_ID_AP_REQ) return undefined;
  return authenticatorOfApReq(inner.subarray(2));
}

/**
 * The authenticator an acceptor leg receives: a raw Kerberos token for the Kerberos package, a
 * SPNEGO token carrying one for Negotiate-MIT. Undefined when the token holds no readable AP-REQ.
 */
export function authenticatorOf(token: Uint8Array, mech: 'krb5' | 'spnego'): ApReqAuthenticator | undefined {
  if (mech === 'krb5') return authenticatorOfKrb5Token(token);
  const spnego = decodeNegotiationToken(token);
  if (!spnego.ok) return undefined;
  const t = spnego.value;
  const inner = t.kind === 'resp' ? t.responseToken : t.mechToken;
  return inner === undefined ? undefined : authenticatorOfKrb5Token(inner);
}
