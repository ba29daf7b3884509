/**
 * The TOKEN_INFORMATION_CLASS buffers GetTokenInformation fills (winnt.h): TOKEN_USER, TOKEN_GROUPS,
 * TOKEN_PRIVILEGES, read from the block we gave it. Their SID pointers point inside that same block,
 * so a SID is read there and written as its string form (MS-DTYP 2.4.2.1 "SID String Format").
 */
import { Layout } from './memory.js';

/** TokenUser, TokenGroups, TokenPrivileges (TOKEN_INFORMATION_CLASS). */
export const TokenInformationClass = { TokenUser: 1, TokenGroups: 2, TokenPrivileges: 3 } as const;

/** SE_GROUP_* attribute bits (winnt.h) the token shape reports. */
const SeGroup = {
  MANDATORY: 0x1,
  ENABLED_BY_DEFAULT: 0x2,
  ENABLED: 0x4,
  OWNER: 0x8,
  USE_FOR_DENY_ONLY: 0x10,
  INTEGRITY: 0x20,
  LOGON_ID: 0xc0000000,
} as const;

export interface SidAndAttributes {
  readonly sid: string;
  readonly attributes: number;
}

export interface LuidAndAttributes {
  readonly luid: bigint;
  readonly attributes: number;
}

/** A byte range with the native address of its first byte (to resolve pointers inside it). */
export interface AddressedBytes {
  readonly address: bigint;
  readonly bytes: Uint8Array;
}

function dv(b: AddressedBytes): DataView {
  return new DataView(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength);
}

/** The string form of the SID at `offset`: S-R-I-S-S… (MS-DTYP 2.4.2.1); throws when it overruns. */
export function sidToString(bytes: Uint8Array, offset = 0): string {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const revision = v.getUint8(offset);
  const count = v.getUint8(offset + 1);
  if (offset + 8 + count * 4 > bytes.length) throw new RangeError('SID overruns its buffer');
  let authority = 0n;
  for (let i = 0; i < 6; i++) authority = (authority << 8n) | BigInt(v.getUint8(offset + 2 + i));
  // MS-DTYP: an authority of 2^32 or more is written in hexadecimal.
  const auth =
    authority >= 1n << 32n ? `0x${authority.toString(16).toUpperCase().padStart(12, '0')}` : String(authority);
  const subs: string[] = [];
  for (let i = 0; i < count; i++) subs.push(String(v.getUint32(offset + 8 + i * 4, true)));
  return ['S', String(revision), auth, ...subs].join('-');
}

function sidAt(b: AddressedBytes, pointer: bigint): string {
  const offset = Number(pointer - b.address);
  if (pointer < b.address || offset >= b.bytes.length) throw new RangeError('SID pointer outside the token buffer');
  return sidToString(b.bytes, offset);
}

function sidAndAttributes(b: AddressedBytes, at: number): SidAndAttributes {
  const v = dv(b);
  return { sid: sidAt(b, v.getBigUint64(at, true)), attributes: v.getUint32(at + Layout.POINTER, true) };
}

/** SID_AND_ATTRIBUTES on x64: PSID Sid; DWORD Attributes; padded to 16. */
const SID_AND_ATTRIBUTES = 16;

/** TOKEN_USER: one SID_AND_ATTRIBUTES. */
export function parseTokenUser(b: AddressedBytes): SidAndAttributes {
  return sidAndAttributes(b, 0);
}

/** TOKEN_GROUPS: DWORD GroupCount, then SID_AND_ATTRIBUTES Groups[] aligned to 8. */
export function parseTokenGroups(b: AddressedBytes): SidAndAttributes[] {
  const count = dv(b).getUint32(0, true);
  if (8 + count * SID_AND_ATTRIBUTES > b.bytes.length) throw new RangeError('TOKEN_GROUPS overruns its buffer');
  const out: SidAndAttributes[] = [];
  for (let i = 0; i < count; i++) out.push(sidAndAttributes(b, 8 + i * SID_AND_ATTRIBUTES));
  return out;
}

/** TOKEN_PRIVILEGES: DWORD PrivilegeCount, then LUID_AND_ATTRIBUTES (LUID 8 bytes, DWORD) of 12 bytes each. */
export function parseTokenPrivileges(b: AddressedBytes): LuidAndAttributes[] {
  const v = dv(b);
  const count = v.getUint32(0, true);
  if (4 + count * 12 > b.bytes.length) throw new RangeError('TOKEN_PRIVILEGES overruns its buffer');
  const out: LuidAndAttributes[] = [];
  for (let i = 0; i < count; i++) {
    const at = 4 + i * 12;
    const low = BigInt(v.getUint32(at, true));
    const high = BigInt(v.getInt32(at + 4, true));
    out.push({ luid: (high << 32n) | low, attributes: v.getUint32(at + 8, true) });
  }
  return out;
}

/** Group SIDs that are enabled (SE_GROUP_ENABLED) and not deny-only: the ones access checks grant on. */
export function enabledGroups(groups: readonly SidAndAttributes[]): string[] {
  return groups
    .filter((g) => (g.attributes & SeGroup.ENABLED) !== 0 && (g.attributes & SeGroup.USE_FOR_DENY_ONLY) === 0)
    .map((g) => g.sid);
}
