/**
 * The PAC's logon information ([MS-PAC] 2.5, KERB_VALIDATION_INFO): who the KDC says the client
 * is and which groups it belongs to, as a Windows domain controller (or Samba AD) issues it. MIT
 * hands the buffer over as the `urn:mspac:logon-info` name attribute, still NDR-encoded
 * ([MS-RPCE] 2.2.6 type serialisation, version 1): this module decodes it.
 *
 * Written by hand: no maintained npm package decodes NDR type-serialised PAC buffers, and the
 * subset needed (one structure, its strings, SIDs and arrays) is small. Every length is checked
 * against the buffer before it is used, so a hostile or truncated buffer yields a
 * {@link PacDecodeError}, never an exception of another kind or an oversized allocation.
 */

/** A relative id with its SE_GROUP_* attributes ([MS-PAC] 2.2.2 GROUP_MEMBERSHIP). */
export interface GroupMembership {
  readonly rid: number;
  readonly attributes: number;
}

/** A SID in string form with its SE_GROUP_* attributes ([MS-PAC] 2.2.1 KERB_SID_AND_ATTRIBUTES). */
export interface SidAndAttributes {
  readonly sid: string;
  readonly attributes: number;
}

/** The decoded KERB_VALIDATION_INFO. Times are `null` where the PAC says "never" or "not set". */
export interface PacLogonInfo {
  readonly logonTime: Date | null;
  readonly logoffTime: Date | null;
  readonly kickOffTime: Date | null;
  readonly passwordLastSet: Date | null;
  readonly passwordCanChange: Date | null;
  readonly passwordMustChange: Date | null;
  readonly effectiveName: string;
  readonly fullName: string;
  readonly logonScript: string;
  readonly profilePath: string;
  readonly homeDirectory: string;
  readonly homeDirectoryDrive: string;
  readonly logonCount: number;
  readonly badPasswordCount: number;
  readonly userId: number;
  readonly primaryGroupId: number;
  readonly groupIds: readonly GroupMembership[];
  readonly userFlags: number;
  readonly logonServer: string;
  readonly logonDomainName: string;
  /** The account domain's SID (LogonDomainId), or null when the PAC carries none. */
  readonly logonDomainSid: string | null;
  readonly userAccountControl: number;
  readonly extraSids: readonly SidAndAttributes[];
  readonly resourceGroupDomainSid: string | null;
  readonly resourceGroupIds: readonly GroupMembership[];
  /** LogonDomainId + UserId. */
  readonly userSid: string | null;
  /**
   * Every group SID the PAC grants, in [MS-PAC] 2.5 order: the domain groups (LogonDomainId +
   * each GroupIds RID), the ExtraSids, then the resource groups when UserFlags has
   * LOGON_RESOURCE_GROUPS (0x200).
   */
  readonly groupSids: readonly string[];
}

/** UserFlags bit: the resource group fields are in use ([MS-PAC] 2.5, "D"). */
export const LOGON_RESOURCE_GROUPS = 0x200;
/** UserFlags bit: the ExtraSids field is in use ([MS-PAC] 2.5, "E"). */
export const LOGON_EXTRA_SIDS = 0x20;

/** The buffer is not a well-formed KERB_VALIDATION_INFO serialisation. */
export class PacDecodeError extends Error {
  override readonly name = 'PacDecodeError';
}

/** Bounds-checked little-endian NDR reader with [MS-RPCE] alignment. */
class NdrReader {
  private at = 0;

  constructor(
    private readonly buf: Uint8Array,
    private readonly view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength),
  ) {}

  get offset(): number {
    return this.at;
  }

  private need(n: number, what: string): void {
    if (n < 0 || this.at + n > this.buf.length)
      throw new PacDecodeError(
        `truncated at ${what} (offset ${this.at}, need ${n}, have ${this.buf.length - this.at})`,
      );
  }

  align(n: number): void {
    const pad = (n - (this.at % n)) % n;
    this.need(pad, 'alignment');
    this.at += pad;
  }

  u8(what: string): number {
    this.need(1, what);
    return this.view.getUint8(this.at++);
  }

  u16(what: string): number {
    this.align(2);
    this.need(2, what);
    const v = this.view.getUint16(this.at, true);
    this.at += 2;
    return v;
  }

  u32(what: string): number {
    this.align(4);
    this.need(4, what);
    const v = this.view.getUint32(this.at, true);
    this.at += 4;
    return v;
  }

  /** FILETIME: two ULONGs (low, high), so 4-byte aligned. */
  filetime(what: string): bigint {
    const low = this.u32(what);
    const high = this.u32(what);
    return (BigInt(high) << 32n) | BigInt(low);
  }

  bytes(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  /** A count that must fit the remaining bytes at `size` bytes per element. */
  count(what: string, size: number): number {
    const n = this.u32(what);
    if (n * size > this.buf.length - this.at) throw new PacDecodeError(`${what} of ${n} does not fit the buffer`);
    return n;
  }
}

/** RPC_UNICODE_STRING's fixed part: lengths in bytes and the referent (0 = null). */
interface UnicodeHeader {
  readonly length: number;
  readonly maximumLength: number;
  readonly referent: number;
}

function unicodeHeader(r: NdrReader, what: string): UnicodeHeader {
  const length = r.u16(`${what}.Length`);
  const maximumLength = r.u16(`${what}.MaximumLength`);
  const referent = r.u32(`${what}.Buffer`);
  if (length % 2 !== 0 || length > maximumLength)
    throw new PacDecodeError(`${what}: length ${length} / maximum ${maximumLength}`);
  return { length, maximumLength, referent };
}

/** The deferred conformant-varying WCHAR array of an RPC_UNICODE_STRING. */
function unicodeBody(r: NdrReader, h: UnicodeHeader, what: string): string {
  if (h.referent === 0) return '';
  const max = r.count(`${what} maximum count`, 0);
  const offset = r.u32(`${what} offset`);
  const actual = r.count(`${what} actual count`, 2);
  if (offset !== 0 || actual > max || actual * 2 !== h.length || max * 2 !== h.maximumLength) {
    throw new PacDecodeError(
      `${what}: counts (max ${max}, offset ${offset}, actual ${actual}) disagree with its header`,
    );
  }
  const raw = r.bytes(actual * 2, what);
  return new TextDecoder('utf-16le', { fatal: false }).decode(raw);
}

/** RPC_SID ([MS-DTYP] 2.4.2.3): conformant, so the sub-authority count comes first. */
function sid(r: NdrReader, what: string): string {
  const conformance = r.count(`${what} conformance`, 4);
  const revision = r.u8(`${what}.Revision`);
  const subCount = r.u8(`${what}.SubAuthorityCount`);
  if (revision !== 1 || subCount !== conformance || subCount > 15)
    throw new PacDecodeError(`${what}: revision ${revision}, ${subCount} sub-authorities (conformance ${conformance})`);
  const authority = r.bytes(6, `${what}.IdentifierAuthority`);
  // Big-endian 48-bit; written in decimal below 2^32, in hex above ([MS-DTYP] 2.4.2.1).
  const auth = authority.reduce((acc, b) => acc * 256n + BigInt(b), 0n);
  const parts = [
    `S-1-${auth < 0x100000000n ? auth.toString() : `0x${auth.toString(16).toUpperCase().padStart(12, '0')}`}`,
  ];
  for (let i = 0; i < subCount; i++) parts.push(String(r.u32(`${what}.SubAuthority[${i}]`)));
  return parts.join('-');
}

function memberships(r: NdrReader, referent: number, count: number, what: string): GroupMembership[] {
  if (referent === 0) {
    if (count !== 0) throw new PacDecodeError(`${what}: ${count} entries but a null pointer`);
    return [];
  }
  const max = r.count(`${what} conformance`, 8);
  if (max !== count) throw new PacDecodeError(`${what}: conformance ${max}, count ${count}`);
  return Array.from({ length: count }, (_, i) => ({
    rid: r.u32(`${what}[${i}].RelativeId`),
    attributes: r.u32(`${what}[${i}].Attributes`),
  }));
}

/** FILETIME → Date; 0 ("not set") and 0x7FFFFFFFFFFFFFFF ("never") → null. */
function time(ft: bigint): Date | null {
  if (ft === 0n || ft === 0x7fffffffffffffffn) return null;
  // 100 ns intervals since 1601-01-01; 11644473600 s separate it from the Unix epoch.
  const ms = Number(ft / 10_000n) - 11_644_473_600_000;
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms) : null;
}

/** Checks the [MS-RPCE] 2.2.6 common and private headers; returns the object's length. */
function typeSerializationHeaders(r: NdrReader): number {
  const version = r.u8('CommonHeader.Version');
  const endianness = r.u8('CommonHeader.Endianness');
  const headerLength = r.u16('CommonHeader.CommonHeaderLength');
  r.u32('CommonHeader.Filler');
  if (version !== 1 || headerLength !== 8)
    throw new PacDecodeError(`unsupported type serialisation header (version ${version}, length ${headerLength})`);
  if (endianness !== 0x10) throw new PacDecodeError('big-endian NDR is not supported');
  const objectLength = r.u32('PrivateHeader.ObjectBufferLength');
  r.u32('PrivateHeader.Filler');
  return objectLength;
}

/** Decodes a `urn:mspac:logon-info` buffer. Throws {@link PacDecodeError} on malformed input. */
export function decodeLogonInfo(buffer: Uint8Array): PacLogonInfo {
  const r = new NdrReader(buffer);
  const objectLength = typeSerializationHeaders(r);
  if (objectLength > buffer.length - r.offset)
    throw new PacDecodeError(`object length ${objectLength} exceeds the buffer`);
  if (r.u32('top-level referent') === 0) throw new PacDecodeError('null KERB_VALIDATION_INFO pointer');

  const times = [
    'LogonTime',
    'LogoffTime',
    'KickOffTime',
    'PasswordLastSet',
    'PasswordCanChange',
    'PasswordMustChange',
  ].map((w) => r.filetime(w));
  const strings = [
    'EffectiveName',
    'FullName',
    'LogonScript',
    'ProfilePath',
    'HomeDirectory',
    'HomeDirectoryDrive',
  ].map((w) => [w, unicodeHeader(r, w)] as const);
  const logonCount = r.u16('LogonCount');
  const badPasswordCount = r.u16('BadPasswordCount');
  const userId = r.u32('UserId');
  const primaryGroupId = r.u32('PrimaryGroupId');
  const groupCount = r.u32('GroupCount');
  const groupIdsRef = r.u32('GroupIds');
  const userFlags = r.u32('UserFlags');
  r.bytes(16, 'UserSessionKey');
  const logonServerH = unicodeHeader(r, 'LogonServer');
  const logonDomainNameH = unicodeHeader(r, 'LogonDomainName');
  const logonDomainIdRef = r.u32('LogonDomainId');
  r.u32('Reserved1[0]');
  r.u32('Reserved1[1]');
  const userAccountControl = r.u32('UserAccountControl');
  r.u32('SubAuthStatus');
  r.filetime('LastSuccessfulILogon');
  r.filetime('LastFailedILogon');
  r.u32('FailedILogonCount');
  r.u32('Reserved3');
  const sidCount = r.u32('SidCount');
  const extraSidsRef = r.u32('ExtraSids');
  const resourceDomainRef = r.u32('ResourceGroupDomainSid');
  const resourceCount = r.u32('ResourceGroupCount');
  const resourceIdsRef = r.u32('ResourceGroupIds');

  // Deferred referents, in the order their pointers appeared (NDR embedded-pointer rule).
  const text = new Map(strings.map(([w, h]) => [w, unicodeBody(r, h, w)]));
  const groupIds = memberships(r, groupIdsRef, groupCount, 'GroupIds');
  const logonServer = unicodeBody(r, logonServerH, 'LogonServer');
  const logonDomainName = unicodeBody(r, logonDomainNameH, 'LogonDomainName');
  const logonDomainSid = logonDomainIdRef === 0 ? null : sid(r, 'LogonDomainId');
  let extraSids: SidAndAttributes[] = [];
  if (extraSidsRef !== 0) {
    const max = r.count('ExtraSids conformance', 8);
    if (max !== sidCount) throw new PacDecodeError(`ExtraSids: conformance ${max}, SidCount ${sidCount}`);
    const fixed = Array.from({ length: sidCount }, (_, i) => ({
      ref: r.u32(`ExtraSids[${i}].Sid`),
      attributes: r.u32(`ExtraSids[${i}].Attributes`),
    }));
    extraSids = fixed.flatMap((e, i) =>
      e.ref === 0 ? [] : [{ sid: sid(r, `ExtraSids[${i}].Sid`), attributes: e.attributes }],
    );
  } else if (sidCount !== 0) {
    throw new PacDecodeError(`ExtraSids: SidCount ${sidCount} but a null pointer`);
  }
  const resourceGroupDomainSid = resourceDomainRef === 0 ? null : sid(r, 'ResourceGroupDomainSid');
  const resourceGroupIds = memberships(r, resourceIdsRef, resourceCount, 'ResourceGroupIds');

  const withRid = (domain: string | null, rid: number): string[] => (domain === null ? [] : [`${domain}-${rid}`]);
  const groupSids = [
    ...groupIds.flatMap((g) => withRid(logonDomainSid, g.rid)),
    ...extraSids.map((s) => s.sid),
    ...((userFlags & LOGON_RESOURCE_GROUPS) !== 0
      ? resourceGroupIds.flatMap((g) => withRid(resourceGroupDomainSid, g.rid))
      : []),
  ];
  const [logonTime, logoffTime, kickOffTime, passwordLastSet, passwordCanChange, passwordMustChange] = times.map(
    time,
  ) as [Date | null, Date | null, Date | null, Date | null, Date | null, Date | null];
  const str = (w: string): string => text.get(w) ?? '';
  return {
    logonTime,
    logoffTime,
    kickOffTime,
    passwordLastSet,
    passwordCanChange,
    passwordMustChange,
    effectiveName: str('EffectiveName'),
    fullName: str('FullName'),
    logonScript: str('LogonScript'),
    profilePath: str('ProfilePath'),
    homeDirectory: str('HomeDirectory'),
    homeDirectoryDrive: str('HomeDirectoryDrive'),
    logonCount,
    badPasswordCount,
    userId,
    primaryGroupId,
    groupIds,
    userFlags,
    logonServer,
    logonDomainName,
    logonDomainSid,
    userAccountControl,
    extraSids,
    resourceGroupDomainSid,
    resourceGroupIds,
    userSid: logonDomainSid === null ? null : `${logonDomainSid}-${userId}`,
    groupSids,
  };
}
