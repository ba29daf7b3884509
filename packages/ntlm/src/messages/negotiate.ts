import { hasFlag, NegotiateFlag } from './flags.js';
import type { DecodeResult } from './result.js';
import { fail, ok } from './result.js';
import type { Version } from './version.js';
import { decodeVersion, encodeVersion } from './version.js';
import { checkHeader, fieldAt, MessageWriter, payloadStart, readField } from './wire.js';

/** NEGOTIATE_MESSAGE (MS-NLMP §2.2.1.1). Names are raw OEM bytes; the codec never guesses encodings. */
export interface NegotiateMessage {
  readonly flags: number;
  readonly domainName: Uint8Array;
  readonly workstation: Uint8Array;
  /** Present exactly when NTLMSSP_NEGOTIATE_VERSION is set. */
  readonly version?: Version;
}

const TYPE = 1;
const FIXED = 32;

/** Encodes a NEGOTIATE_MESSAGE. */
export function encodeNegotiate(m: NegotiateMessage): Uint8Array {
  const withVersion = hasFlag(m.flags, NegotiateFlag.VERSION);
  const w = new MessageWriter(TYPE, withVersion ? FIXED + 8 : FIXED).u32(12, m.flags);
  if (withVersion) w.bytes(32, encodeVersion(m.version ?? { major: 0, minor: 0, build: 0, revision: 15 }));
  return w.field(16, m.domainName).field(24, m.workstation).finish();
}

/** Decodes a NEGOTIATE_MESSAGE; 16-byte messages from old clients carry no name fields. */
export function decodeNegotiate(buf: Uint8Array): DecodeResult<NegotiateMessage> {
  const h = checkHeader(buf, TYPE, 16);
  if (!h.ok) return h;
  const v = h.value;
  const flags = v.getUint32(12, true);
  // Only the legacy 16-byte form may omit the name fields; anything between was cut short.
  if (buf.length === 16) return ok({ flags, domainName: new Uint8Array(0), workstation: new Uint8Array(0) });
  if (buf.length < FIXED)
    return fail('truncated', `NEGOTIATE_MESSAGE of ${buf.length} bytes ends inside its name fields`);
  if (hasFlag(flags, NegotiateFlag.VERSION) && buf.length < FIXED + 8)
    return fail('truncated', 'NEGOTIATE_MESSAGE ends inside its VERSION field');
  const df = fieldAt(v, 16);
  const wf = fieldAt(v, 24);
  const end = payloadStart(buf, [df, wf]);
  const domainName = readField(buf, df, FIXED, 'DomainName');
  if (!domainName.ok) return domainName;
  const workstation = readField(buf, wf, FIXED, 'Workstation');
  if (!workstation.ok) return workstation;
  const base = { flags, domainName: domainName.value, workstation: workstation.value };
  if (hasFlag(flags, NegotiateFlag.VERSION) && end >= FIXED + 8)
    return ok({ ...base, version: decodeVersion(buf, FIXED) });
  return ok(base);
}
