/**
 * Names the field of a Kerberos or SPNEGO handshake token at a byte offset, so that the bit-flip
 * matrix can say which fields tolerate a flip rather than which offsets: the AP-REQ (RFC 4120
 * §5.5.1) with its Ticket (§5.3) and EncryptedData (§5.2.9), the AP-REP (§5.5.2), inside GSS framing
 * (RFC 4121 §4.1) or SPNEGO's NegTokenInit/NegTokenResp (RFC 4178 §4.2).
 */
import { DerClass, readTlv } from '../../packages/decode/src/der.js';
import type { Tlv } from '../../packages/decode/src/der.js';

/** Field names of the context-tagged members, per structure. */
interface Schema {
  readonly [tag: number]: readonly [string, Schema?];
}

const ENCRYPTED: Schema = { 0: ['etype'], 1: ['kvno'], 2: ['cipher'] };
const TICKET: Schema = {
  0: ['tkt-vno'],
  1: ['realm'],
  2: ['sname', { 0: ['name-type'], 1: ['name-string'] }],
  3: ['enc-part', ENCRYPTED],
};
const AP_REQ: Schema = {
  0: ['pvno'],
  1: ['msg-type'],
  2: ['ap-options'],
  3: ['ticket', TICKET],
  4: ['authenticator', ENCRYPTED],
};
const AP_REP: Schema = { 0: ['pvno'], 1: ['msg-type'], 2: ['enc-part', ENCRYPTED] };
const NEG_INIT: Schema = { 0: ['mechTypes'], 1: ['reqFlags'], 2: ['mechToken'], 3: ['mechListMIC'] };
const NEG_RESP: Schema = { 0: ['negState'], 1: ['supportedMech'], 2: ['responseToken'], 3: ['mechListMIC'] };

const within = (t: Tlv, at: number): boolean => at >= t.at && at < t.at + t.header + t.content.length;

/**
 * `[n] SEQUENCE {…}` or `[APPLICATION n] SEQUENCE {…}` members by schema; a member that is a
 * structure itself is entered (through its own SEQUENCE, or an APPLICATION wrapper as Ticket's).
 */
function member(seq: Tlv, schema: Schema, at: number, path: string): string {
  for (const c of seq.children) {
    if (!within(c, at)) continue;
    const entry = c.cls === DerClass.Context ? schema[c.tag] : undefined;
    if (entry === undefined) return `${path}[${c.tag}]`;
    const name = path === '' ? entry[0] : `${path}.${entry[0]}`;
    const inner = c.children[0];
    if (inner === undefined || at < inner.at) return `${name} (tag)`;
    if (name.endsWith('mechToken') || name.endsWith('responseToken')) {
      const nested = fieldAt(inner.content, at - (inner.at + inner.header));
      return nested === undefined ? name : `${name}.${nested}`;
    }
    if (entry[1] === undefined) return at < inner.at + inner.header ? `${name} (tag)` : name;
    let s = inner;
    if (s.cls === DerClass.Application) {
      if (at < s.at + s.header || s.children[0] === undefined) return `${name} (tag)`;
      s = s.children[0];
    }
    if (at < s.at + s.header) return `${name} (tag)`;
    return member(s, entry[1], at, name);
  }
  return path === '' ? 'outside' : `${path} (tag)`;
}

/** The field at byte `at` of a handshake token, or undefined when the token does not decode. */
export function fieldAt(token: Uint8Array, at: number): string | undefined {
  const outer = readTlv(token, 0, 0, 0, false);
  if (!outer.ok) return undefined;
  const t = outer.tlv;
  if (t.cls === DerClass.Application && t.tag === 0) {
    const oid = readTlv(t.content);
    if (!oid.ok) return undefined;
    const body = t.header + oid.end;
    if (at < body) return at < t.header ? 'gss-framing' : 'gss-framing.mech';
    if (oid.tlv.content.length === 9) {
      // krb5: TOK_ID, then the message (RFC 4121 §4.1).
      if (at < body + 2) return 'tok-id';
      return krbMessage(token.subarray(body + 2), at - body - 2);
    }
    return spnego(token.subarray(body), at - body);
  }
  return spnego(token, at);
}

function krbMessage(der: Uint8Array, at: number): string | undefined {
  const r = readTlv(der);
  if (!r.ok || r.tlv.cls !== DerClass.Application) return undefined;
  const seq = r.tlv.children[0];
  if (seq === undefined || at < seq.at + seq.header) return 'message (tag)';
  if (r.tlv.tag === 14) return member(seq, AP_REQ, at, '');
  if (r.tlv.tag === 15) return member(seq, AP_REP, at, '');
  return undefined;
}

function spnego(der: Uint8Array, at: number): string | undefined {
  const r = readTlv(der);
  if (!r.ok || r.tlv.cls !== DerClass.Context) return undefined;
  const seq = r.tlv.children[0];
  if (seq === undefined || at < seq.at + seq.header) return 'negotiation-token (tag)';
  if (r.tlv.tag === 0) return member(seq, NEG_INIT, at, '');
  if (r.tlv.tag === 1) return member(seq, NEG_RESP, at, '');
  return undefined;
}
