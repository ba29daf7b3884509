import { hasFlag, NegotiateFlag } from './flags.js';
import type { DecodeResult } from './result.js';
import { ok } from './result.js';
import type { Version } from './version.js';
import { decodeVersion, encodeVersion } from './version.js';
import { checkHeader, fieldAt, MessageWriter, payloadStart, readField } from './wire.js';

/** AUTHENTICATE_MESSAGE (MS-NLMP §2.2.1.3). Names are raw bytes (Unicode or OEM per the flags). */
export interface AuthenticateMessage {
  readonly flags: number;
  readonly lmChallengeResponse: Uint8Array;
  readonly ntChallengeResponse: Uint8Array;
  readonly domainName: Uint8Array;
  readonly userName: Uint8Array;
  readonly workstation: Uint8Array;
  readonly encryptedRandomSessionKey: Uint8Array;
  /** Present exactly when NTLMSSP_NEGOTIATE_VERSION is set and the header has room for it. */
  readonly version?: Version;
  /** 16-byte MIC, present when the header leaves room for it (payload starts at 88 or later). */
  readonly mic?: Uint8Array;
}

const TYPE = 3;
const FIXED = 64;
/** Where the MIC sits when present; the context zeroes these bytes to recompute it. */
export const MIC_OFFSET = 72;

/** Encodes an AUTHENTICATE_MESSAGE; a MIC, when given, reserves the version slot too. */
export function encodeAuthenticate(m: AuthenticateMessage): Uint8Array {
  const withVersion = hasFlag(m.flags, NegotiateFlag.VERSION);
  const size = m.mic ? MIC_OFFSET + 16 : withVersion ? FIXED + 8 : FIXED;
  if (m.mic && m.mic.length !== 16) throw new RangeError('MIC must be 16 bytes');
  const w = new MessageWriter(TYPE, size).u32(60, m.flags);
  if (withVersion) w.bytes(64, encodeVersion(m.version ?? { major: 0, minor: 0, build: 0, revision: 15 }));
  if (m.mic) w.bytes(MIC_OFFSET, m.mic);
  return w
    .field(12, m.lmChallengeResponse)
    .field(20, m.ntChallengeResponse)
    .field(28, m.domainName)
    .field(36, m.userName)
    .field(44, m.workstation)
    .field(52, m.encryptedRandomSessionKey)
    .finish();
}

/** Decodes an AUTHENTICATE_MESSAGE. */
export function decodeAuthenticate(buf: Uint8Array): DecodeResult<AuthenticateMessage> {
  const h = checkHeader(buf, TYPE, FIXED);
  if (!h.ok) return h;
  const v = h.value;
  const flags = v.getUint32(60, true);
  const refs = [12, 20, 28, 36, 44, 52].map((at) => fieldAt(v, at));
  const names = [
    'LmChallengeResponse',
    'NtChallengeResponse',
    'DomainName',
    'UserName',
    'Workstation',
    'EncryptedRandomSessionKey',
  ];
  const values: Uint8Array[] = [];
  for (let i = 0; i < refs.length; i++) {
    const r = readField(buf, refs[i] ?? { length: 0, offset: 0 }, FIXED, names[i] ?? '');
    if (!r.ok) return r;
    values.push(r.value);
  }
  const end = payloadStart(buf, refs);
  const [lm, nt, dom, user, ws, key] = values as [
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
  ];
  const base = {
    flags,
    lmChallengeResponse: lm,
    ntChallengeResponse: nt,
    domainName: dom,
    userName: user,
    workstation: ws,
    encryptedRandomSessionKey: key,
  };
  const version =
    hasFlag(flags, NegotiateFlag.VERSION) && end >= FIXED + 8 ? { version: decodeVersion(buf, FIXED) } : {};
  const mic = end >= MIC_OFFSET + 16 ? { mic: buf.slice(MIC_OFFSET, MIC_OFFSET + 16) } : {};
  return ok({ ...base, ...version, ...mic });
}
