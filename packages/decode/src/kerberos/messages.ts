/**
 * Kerberos messages as they travel in GSS and HTTP tokens (RFC 4120 §5.5 AP-REQ/AP-REP, §5.9.1
 * KRB-ERROR), and with a keytab the ticket (§5.3 EncTicketPart) and authenticator (§5.5.1) inside.
 */
import type { Tlv } from '../der.js';
import { DerClass, bits32, ctx, int, readTlv, text, time } from '../der.js';
import type { Field, Stop, TokenExplanation } from '../types.js';
import { bitNames, field, hex, hex32 } from '../types.js';
import { decrypt } from './crypto.js';
import type { KeytabEntry } from './keytab.js';
import {
  AD_TYPES,
  AP_OPTIONS,
  ETYPE_NAMES,
  GSS_CHECKSUM_FLAGS,
  KRB_ERROR_NAMES,
  NAME_TYPES,
  TICKET_FLAGS,
  named,
} from './names.js';
import { explainPac } from './pac.js';

export interface KerberosOptions {
  /** Keys for decrypting tickets (the service's keytab). */
  readonly keytab?: readonly KeytabEntry[];
}

const MSG = { AP_REQ: 14, AP_REP: 15, KRB_ERROR: 30, TICKET: 1, AUTHENTICATOR: 2, ENC_TICKET_PART: 3 } as const;

/** Key usages (RFC 4120 §7.5.1). */
const USAGE = { TICKET: 2, AP_REQ_AUTHENTICATOR: 11, AP_REP_ENC_PART: 12 } as const;

/** `[APPLICATION n]` of a raw Kerberos message, or undefined. */
export function kerberosApplicationTag(b: Uint8Array): number | undefined {
  const first = b[0];
  if (first === undefined || (first & 0xe0) !== 0x60) return undefined;
  const tag = first & 0x1f;
  return tag === MSG.AP_REQ || tag === MSG.AP_REP || tag === MSG.KRB_ERROR ? tag : undefined;
}

/** Explains a raw Kerberos message; `base` is its offset in the whole input. */
export function explainKerberos(b: Uint8Array, base: number, opts: KerberosOptions = {}): TokenExplanation {
  const r = readTlv(b, 0, base);
  if (!r.ok)
    return { kind: 'kerberos', summary: 'Kerberos message', fields: [], stopped: { at: r.at, reason: r.reason } };
  const app = r.tlv;
  const body = app.children[0];
  const stopped = stopOf(app);
  if (app.cls !== DerClass.Application || body === undefined) {
    return {
      kind: 'kerberos',
      summary: 'not a Kerberos message',
      fields: [],
      stopped: { at: app.at, reason: 'no [APPLICATION] SEQUENCE' },
    };
  }
  switch (app.tag) {
    case MSG.AP_REQ:
      return { kind: 'kerberos', summary: 'Kerberos AP-REQ (RFC 4120 §5.5.1)', fields: apReq(body, opts), ...stopped };
    case MSG.AP_REP:
      return { kind: 'kerberos', summary: 'Kerberos AP-REP (RFC 4120 §5.5.2)', fields: apRep(body), ...stopped };
    case MSG.KRB_ERROR:
      return { kind: 'kerberos', summary: 'Kerberos KRB-ERROR (RFC 4120 §5.9.1)', fields: krbError(body), ...stopped };
    default:
      return { kind: 'kerberos', summary: `Kerberos message [APPLICATION ${app.tag}]`, fields: [], ...stopped };
  }
}

function stopOf(t: Tlv): { stopped?: Stop } {
  return t.fault !== undefined ? { stopped: { at: t.fault.at, reason: t.fault.reason } } : {};
}

const num = (t: Tlv | undefined): string => {
  const n = int(t);
  return n === undefined ? '(missing)' : String(n);
};

function principal(t: Tlv | undefined): string {
  const type = int(ctx(t, 0));
  const parts = (ctx(t, 1)?.children ?? []).map((c) => text(c) ?? '?');
  const typeName = type === undefined ? '' : ` (${named(NAME_TYPES, type)})`;
  return `${parts.join('/')}${typeName}`;
}

function encryptedData(label: string, t: Tlv | undefined, extra: Field[] = []): Field {
  const etype = int(ctx(t, 0));
  const kvno = ctx(t, 1);
  const cipher = ctx(t, 2);
  return field(label, undefined, [
    field('etype', etype === undefined ? '(missing)' : named(ETYPE_NAMES, etype)),
    ...(kvno !== undefined ? [field('kvno', num(kvno))] : []),
    field('cipher', cipher === undefined ? '(missing)' : `${cipher.content.length} bytes`),
    ...extra,
  ]);
}

function apReq(s: Tlv, opts: KerberosOptions): Field[] {
  const opt = bits32(ctx(s, 2));
  const ticket = ctx(s, 3);
  const tbody = ticket?.children[0];
  const realm = text(ctx(tbody, 1));
  const sname = ctx(tbody, 2);
  const dec = opts.keytab !== undefined ? decryptTicket(tbody, opts.keytab) : undefined;
  const authenticator = ctx(s, 4);
  const authDec = dec?.sessionKey !== undefined ? decryptAuthenticator(authenticator, dec.sessionKey) : [];
  return [
    field('pvno', num(ctx(s, 0))),
    field('msg-type', num(ctx(s, 1))),
    field('ap-options', opt === undefined ? '(missing)' : bitNames(opt, AP_OPTIONS).join(', ') || 'none'),
    field('ticket', undefined, [
      field('tkt-vno', num(ctx(tbody, 0))),
      field('realm', realm ?? '(missing)'),
      field('sname', principal(sname)),
      encryptedData('enc-part', ctx(tbody, 3), dec?.fields ?? []),
    ]),
    encryptedData('authenticator', authenticator, authDec),
  ];
}

function apRep(s: Tlv): Field[] {
  return [
    field('pvno', num(ctx(s, 0))),
    field('msg-type', num(ctx(s, 1))),
    encryptedData('enc-part', ctx(s, 2), [
      field('note', 'encrypted in the session key: not decryptable from a keytab'),
    ]),
  ];
}

function krbError(s: Tlv): Field[] {
  const code = int(ctx(s, 6));
  const out: Field[] = [field('pvno', num(ctx(s, 0))), field('msg-type', num(ctx(s, 1)))];
  const ctime = time(ctx(s, 2));
  if (ctime !== undefined) out.push(field('ctime', ctime));
  out.push(field('stime', time(ctx(s, 4)) ?? '(missing)'), field('susec', num(ctx(s, 5))));
  out.push(field('error-code', code === undefined ? '(missing)' : named(KRB_ERROR_NAMES, code)));
  const crealm = text(ctx(s, 7));
  if (crealm !== undefined) out.push(field('crealm', crealm));
  if (ctx(s, 8) !== undefined) out.push(field('cname', principal(ctx(s, 8))));
  out.push(field('realm', text(ctx(s, 9)) ?? '(missing)'), field('sname', principal(ctx(s, 10))));
  const etext = text(ctx(s, 11));
  if (etext !== undefined) out.push(field('e-text', etext));
  const edata = ctx(s, 12);
  if (edata !== undefined)
    out.push(field('e-data', `${edata.content.length} bytes: ${hex(edata.content.subarray(0, 64))}`));
  return out;
}

interface TicketDecryption {
  readonly fields: Field[];
  readonly sessionKey?: { readonly etype: number; readonly key: Uint8Array };
}

function decryptTicket(tbody: Tlv | undefined, keytab: readonly KeytabEntry[]): TicketDecryption {
  const realm = text(ctx(tbody, 1));
  const sname = (ctx(ctx(tbody, 2), 1)?.children ?? []).map((c) => text(c) ?? '').join('/');
  const enc = ctx(tbody, 3);
  const etype = int(ctx(enc, 0));
  const kvno = int(ctx(enc, 1));
  const cipher = ctx(enc, 2)?.content;
  if (etype === undefined || cipher === undefined)
    return { fields: [field('decryption', 'the ticket has no etype or cipher')] };
  const want = `${sname}@${realm ?? ''}`;
  const keys = keytab.filter(
    (k) => k.principal === want && k.etype === etype && (kvno === undefined || k.kvno === kvno),
  );
  if (keys.length === 0)
    return {
      fields: [
        field('decryption', `no key in the keytab for ${want}, ${named(ETYPE_NAMES, etype)}, kvno ${kvno ?? '?'}`),
      ],
    };
  let reason = '';
  for (const k of keys) {
    const d = decrypt(etype, k.key, USAGE.TICKET, cipher);
    if (!d.ok) {
      reason = d.reason;
      continue;
    }
    return encTicketPart(d.plain);
  }
  return { fields: [field('decryption', reason)] };
}

function encTicketPart(plain: Uint8Array): TicketDecryption {
  const r = readTlv(plain, 0, 0);
  if (!r.ok || r.tlv.tag !== MSG.ENC_TICKET_PART) return { fields: [field('decrypted', 'but not an EncTicketPart')] };
  const s = r.tlv.children[0];
  const flags = bits32(ctx(s, 0));
  const key = ctx(s, 1);
  const keyType = int(ctx(key, 0));
  const keyValue = ctx(key, 1)?.content;
  const out: Field[] = [
    field('flags', flags === undefined ? '(missing)' : bitNames(flags, TICKET_FLAGS).join(', ') || 'none'),
    field('session key type', keyType === undefined ? '(missing)' : named(ETYPE_NAMES, keyType)),
    field('crealm', text(ctx(s, 2)) ?? '(missing)'),
    field('cname', principal(ctx(s, 3))),
    field('authtime', time(ctx(s, 5)) ?? '(missing)'),
    ...(ctx(s, 6) !== undefined ? [field('starttime', time(ctx(s, 6)) ?? '?')] : []),
    field('endtime', time(ctx(s, 7)) ?? '(missing)'),
    ...(ctx(s, 8) !== undefined ? [field('renew-till', time(ctx(s, 8)) ?? '?')] : []),
    ...authorizationData(ctx(s, 10)),
  ];
  return {
    fields: [field('decrypted ticket (EncTicketPart)', undefined, out)],
    ...(keyType !== undefined && keyValue !== undefined ? { sessionKey: { etype: keyType, key: keyValue } } : {}),
  };
}

function authorizationData(t: Tlv | undefined, depth = 0): Field[] {
  if (t === undefined || depth > 4) return [];
  const items: Field[] = [];
  for (const e of t.children) {
    const type = int(ctx(e, 0));
    const data = ctx(e, 1)?.content;
    if (type === undefined || data === undefined) continue;
    const label = `authorization-data ${named(AD_TYPES, type)}`;
    if (type === 1) {
      const inner = readTlv(data, 0, 0);
      items.push(
        field(
          label,
          undefined,
          inner.ok ? authorizationData(inner.tlv, depth + 1) : [field('undecodable', inner.reason)],
        ),
      );
    } else if (type === 128) {
      items.push(field(label, `${data.length} bytes`, [explainPac(data)]));
    } else {
      items.push(field(label, `${data.length} bytes`));
    }
  }
  return items;
}

function decryptAuthenticator(enc: Tlv | undefined, sk: { etype: number; key: Uint8Array }): Field[] {
  const cipher = ctx(enc, 2)?.content;
  const etype = int(ctx(enc, 0));
  if (cipher === undefined || etype === undefined) return [];
  const d = decrypt(etype, sk.key, USAGE.AP_REQ_AUTHENTICATOR, cipher);
  if (!d.ok) return [field('decryption', d.reason)];
  const r = readTlv(d.plain, 0, 0);
  if (!r.ok || r.tlv.tag !== MSG.AUTHENTICATOR) return [field('decrypted', 'but not an Authenticator')];
  const s = r.tlv.children[0];
  const out: Field[] = [
    field('crealm', text(ctx(s, 1)) ?? '(missing)'),
    field('cname', principal(ctx(s, 2))),
    ...gssChecksum(ctx(s, 3)),
    field('ctime', time(ctx(s, 5)) ?? '(missing)'),
    field('cusec', num(ctx(s, 4))),
  ];
  const subkey = int(ctx(ctx(s, 6), 0));
  if (subkey !== undefined) out.push(field('subkey type', named(ETYPE_NAMES, subkey)));
  if (ctx(s, 7) !== undefined) out.push(field('seq-number', num(ctx(s, 7))));
  out.push(...authorizationData(ctx(s, 8)));
  return [field('decrypted authenticator', undefined, out)];
}

/** RFC 4121 §4.1.1: the 0x8003 checksum carrying the channel-binding hash and the context flags. */
function gssChecksum(t: Tlv | undefined): Field[] {
  if (t === undefined) return [];
  const type = int(ctx(t, 0));
  const c = ctx(t, 1)?.content;
  if (type !== 0x8003 || c === undefined) return [field('cksum', `type ${type ?? '?'}`)];
  if (c.length < 24) return [field('cksum', 'GSS checksum (0x8003), truncated')];
  const v = new DataView(c.buffer, c.byteOffset, c.byteLength);
  const bnd = c.subarray(4, 20);
  const flags = v.getUint32(20, true);
  const noBindings = bnd.every((x) => x === 0);
  const children = [
    field('Lgth', v.getUint32(0, true)),
    field('Bnd', noBindings ? 'all zero (no channel bindings)' : hex(bnd)),
    field('Flags', `${hex32(flags)} ${bitNames(flags, GSS_CHECKSUM_FLAGS).join(', ')}`),
  ];
  if ((flags & 1) !== 0 && c.length >= 28)
    children.push(field('delegation', `KRB-CRED, ${v.getUint16(26, true)} bytes`));
  return [field('cksum', 'GSS checksum (0x8003, RFC 4121 §4.1.1)', children)];
}
