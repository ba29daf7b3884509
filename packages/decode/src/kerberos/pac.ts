/**
 * A PAC summary ([MS-PAC] §2.3–2.10): the buffer list, the client name, UPN/DNS information and,
 * through @sspkit/provider-native's KERB_VALIDATION_INFO decoder, the logon information.
 */
import { decodeLogonInfo } from '@sspkit/provider-native';
import type { Field } from '../types.js';
import { field, hex32 } from '../types.js';
import { PAC_BUFFER_TYPES, named } from './names.js';

const FILETIME_EPOCH_DIFF = 11644473600000n;

function filetime(v: DataView, at: number): string {
  const t = v.getBigUint64(at, true);
  if (t === 0n || t === 0x7fffffffffffffffn) return t === 0n ? 'never (0)' : 'forever';
  const ms = t / 10000n - FILETIME_EPOCH_DIFF;
  const d = new Date(Number(ms));
  return Number.isNaN(d.getTime()) ? `${t} (out of range)` : d.toISOString();
}

function utf16(b: Uint8Array, at: number, len: number): string | undefined {
  if (at + len > b.length || len % 2 !== 0) return undefined;
  return Buffer.from(b.subarray(at, at + len)).toString('utf16le');
}

/** Explains a PACTYPE; every offset is checked against the buffer. */
export function explainPac(b: Uint8Array): Field {
  if (b.length < 8) return field('PAC', 'truncated before its header');
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const count = v.getUint32(0, true);
  const version = v.getUint32(4, true);
  const out: Field[] = [field('cBuffers', count), field('Version', version)];
  if (8 + count * 16 > b.length) return field('PAC', `its ${count} buffer headers run past its end`, out);
  for (let i = 0; i < count; i++) {
    const type = v.getUint32(8 + i * 16, true);
    const size = v.getUint32(12 + i * 16, true);
    const offset = Number(v.getBigUint64(16 + i * 16, true));
    const label = `buffer ${i}: ${named(PAC_BUFFER_TYPES, type)}`;
    if (offset + size > b.length) {
      out.push(field(label, `offset ${offset} + size ${size} is outside the PAC`));
      continue;
    }
    out.push(field(label, `${size} bytes at ${offset}`, pacBuffer(type, b.subarray(offset, offset + size))));
  }
  return field('PAC', undefined, out);
}

function pacBuffer(type: number, b: Uint8Array): Field[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (type) {
    case 1:
      return logonInfo(b);
    case 10: {
      if (b.length < 10) return [field('truncated')];
      const n = v.getUint16(8, true);
      return [field('ClientId', filetime(v, 0)), field('Name', utf16(b, 10, n) ?? '(out of bounds)')];
    }
    case 12: {
      if (b.length < 12) return [field('truncated')];
      const upn = utf16(b, v.getUint16(2, true), v.getUint16(0, true));
      const dns = utf16(b, v.getUint16(6, true), v.getUint16(4, true));
      const flags = v.getUint32(8, true);
      return [
        field('Upn', upn ?? '(out of bounds)'),
        field('DnsDomainName', dns ?? '(out of bounds)'),
        field('Flags', hex32(flags)),
      ];
    }
    case 6:
    case 7:
    case 16:
    case 19: {
      if (b.length < 4) return [field('truncated')];
      return [field('SignatureType', v.getInt32(0, true)), field('Signature', `${b.length - 4} bytes`)];
    }
    default:
      return [];
  }
}

function logonInfo(b: Uint8Array): Field[] {
  try {
    const l = decodeLogonInfo(b);
    return [
      field('EffectiveName', l.effectiveName),
      field('FullName', l.fullName),
      field('LogonDomainName', l.logonDomainName),
      field('LogonServer', l.logonServer),
      field('UserSid', l.userSid ?? '(none)'),
      field('PrimaryGroupId', l.primaryGroupId),
      field('UserFlags', hex32(l.userFlags)),
      field('UserAccountControl', hex32(l.userAccountControl)),
      field('LogonTime', l.logonTime?.toISOString() ?? 'never'),
      field(
        'groups',
        l.groupSids.length,
        l.groupSids.map((s) => field(s)),
      ),
    ];
  } catch (e) {
    return [field('undecodable', e instanceof Error ? e.message : 'unknown error')];
  }
}
