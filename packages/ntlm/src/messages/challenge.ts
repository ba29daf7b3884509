import { hasFlag, NegotiateFlag } from './flags.js';
import type { DecodeResult } from './result.js';
import { fail, ok } from './result.js';
import type { Version } from './version.js';
import { decodeVersion, encodeVersion } from './version.js';
import { checkHeader, fieldAt, MessageWriter, payloadStart, readField } from './wire.js';

/** CHALLENGE_MESSAGE (MS-NLMP §2.2.1.2). TargetInfo stays raw: the client echoes it byte for byte. */
export interface ChallengeMessage {
  readonly flags: number;
  /** Unicode or OEM per the UNICODE flag; decoded by the context. */
  readonly targetName: Uint8Array;
  readonly serverChallenge: Uint8Array;
  readonly targetInfo: Uint8Array;
  /** Present exactly when NTLMSSP_NEGOTIATE_VERSION is set. */
  readonly version?: Version;
}

const TYPE = 2;
const FIXED = 48;

/** Encodes a CHALLENGE_MESSAGE. */
export function encodeChallenge(m: ChallengeMessage): Uint8Array {
  if (m.serverChallenge.length !== 8) throw new RangeError('ServerChallenge must be 8 bytes');
  const withVersion = hasFlag(m.flags, NegotiateFlag.VERSION);
  const w = new MessageWriter(TYPE, withVersion ? FIXED + 8 : FIXED).u32(20, m.flags).bytes(24, m.serverChallenge);
  if (withVersion) w.bytes(48, encodeVersion(m.version ?? { major: 0, minor: 0, build: 0, revision: 15 }));
  return w.field(12, m.targetName).field(40, m.targetInfo).finish();
}

/** Decodes a CHALLENGE_MESSAGE; the 32-byte legacy form (no target info) is accepted. */
export function decodeChallenge(buf: Uint8Array): DecodeResult<ChallengeMessage> {
  const h = checkHeader(buf, TYPE, 32);
  if (!h.ok) return h;
  const v = h.value;
  const flags = v.getUint32(20, true);
  const serverChallenge = buf.slice(24, 32);
  const tnf = fieldAt(v, 12);
  if (buf.length < FIXED) {
    if (tnf.length > 0) return fail('truncated', 'legacy 32-byte CHALLENGE with a TargetName');
    return ok({ flags, targetName: new Uint8Array(0), serverChallenge, targetInfo: new Uint8Array(0) });
  }
  const tif = fieldAt(v, 40);
  const end = payloadStart(buf, [tnf, tif]);
  const targetName = readField(buf, tnf, FIXED, 'TargetName');
  if (!targetName.ok) return targetName;
  const targetInfo = readField(buf, tif, FIXED, 'TargetInfo');
  if (!targetInfo.ok) return targetInfo;
  const base = { flags, targetName: targetName.value, serverChallenge, targetInfo: targetInfo.value };
  if (hasFlag(flags, NegotiateFlag.VERSION) && end >= FIXED + 8)
    return ok({ ...base, version: decodeVersion(buf, FIXED) });
  return ok(base);
}
