/**
 * NTLM messages (MS-NLMP §2.2.1), decoded by @sspkit/ntlm's own bounded codec and explained field by
 * field: every flag by name, AV pairs with their timestamps, MsvAvFlags, the channel-binding hash,
 * the MIC, the version, and the NTLMv2 response's structure (§2.2.2.7–2.2.2.8).
 */
import {
  AvFlag,
  AvId,
  NegotiateFlag,
  decodeAuthenticate,
  decodeAvPairs,
  decodeChallenge,
  decodeNegotiate,
} from '@sspkit/ntlm';
import type { Field, TokenExplanation } from './types.js';
import { bitNames, field, hex, hex32 } from './types.js';

const SIGNATURE = 'NTLMSSP\0';

export const isNtlm = (b: Uint8Array): boolean =>
  b.length >= 8 && Buffer.from(b.subarray(0, 8)).toString('latin1') === SIGNATURE;

/** AV_PAIR names as MS-NLMP §2.2.2.1 spells them. */
const AV_NAMES: Readonly<Record<number, string>> = {
  [AvId.EOL]: 'MsvAvEOL',
  [AvId.NB_COMPUTER_NAME]: 'MsvAvNbComputerName',
  [AvId.NB_DOMAIN_NAME]: 'MsvAvNbDomainName',
  [AvId.DNS_COMPUTER_NAME]: 'MsvAvDnsComputerName',
  [AvId.DNS_DOMAIN_NAME]: 'MsvAvDnsDomainName',
  [AvId.DNS_TREE_NAME]: 'MsvAvDnsTreeName',
  [AvId.FLAGS]: 'MsvAvFlags',
  [AvId.TIMESTAMP]: 'MsvAvTimestamp',
  [AvId.SINGLE_HOST]: 'MsvAvSingleHost',
  [AvId.TARGET_NAME]: 'MsvAvTargetName',
  [AvId.CHANNEL_BINDINGS]: 'MsvAvChannelBindings',
};

function filetime(b: Uint8Array): string {
  if (b.length !== 8) return `${b.length} bytes (not a FILETIME)`;
  const t = Buffer.from(b).readBigUInt64LE(0);
  const d = new Date(Number(t / 10000n - 11644473600000n));
  return Number.isNaN(d.getTime()) ? `${t}` : `${d.toISOString()} (${t})`;
}

function str(b: Uint8Array, unicode: boolean): string {
  return JSON.stringify(Buffer.from(b).toString(unicode ? 'utf16le' : 'latin1'));
}

function version(v: { major: number; minor: number; build: number; revision: number } | undefined): Field[] {
  return v === undefined
    ? []
    : [field('Version', `${v.major}.${v.minor} build ${v.build}, NTLM revision ${v.revision}`)];
}

/** The flag's name as MS-NLMP §2.2.2.5 spells it. */
function flagName(n: string): string {
  if (n.startsWith('0x')) return `unknown bits ${n}`;
  if (n === 'OEM') return 'NTLM_NEGOTIATE_OEM';
  if (n.startsWith('REQUEST_') || n.startsWith('TARGET_TYPE_') || n.startsWith('NEGOTIATE_')) return `NTLMSSP_${n}`;
  return `NTLMSSP_NEGOTIATE_${n}`;
}

function flagsField(flags: number): Field {
  return field(
    'NegotiateFlags',
    hex32(flags),
    bitNames(flags, NegotiateFlag).map((n) => field(flagName(n))),
  );
}

function avPairs(b: Uint8Array): Field[] {
  const r = decodeAvPairs(b);
  if (!r.ok) return [field('undecodable', r.error.detail)];
  return r.value.map((p) => {
    const name = AV_NAMES[p.id] ?? `AvId ${p.id}`;
    switch (p.id) {
      case AvId.TIMESTAMP:
        return field(name, filetime(p.value));
      case AvId.FLAGS: {
        const f = p.value.length === 4 ? Buffer.from(p.value).readUInt32LE(0) : 0;
        return field(name, `${hex32(f)} ${bitNames(f, AvFlag).join(', ')}`);
      }
      case AvId.CHANNEL_BINDINGS:
        return field(name, p.value.every((x) => x === 0) ? 'all zero (no channel bindings)' : `MD5 ${hex(p.value)}`);
      case AvId.SINGLE_HOST:
        return field(name, hex(p.value));
      case AvId.EOL:
        return field(name);
      default:
        return field(name, str(p.value, true));
    }
  });
}

function ntResponse(nt: Uint8Array): Field {
  if (nt.length === 0) return field('NtChallengeResponse', 'empty (anonymous)');
  if (nt.length === 24) return field('NtChallengeResponse', `NTLMv1 response, 24 bytes ${hex(nt)}`);
  if (nt.length < 16 + 28) return field('NtChallengeResponse', `${nt.length} bytes, too short for NTLMv2`);
  const blob = nt.subarray(16);
  return field('NtChallengeResponse', `NTLMv2 response, ${nt.length} bytes`, [
    field('NTProofStr', hex(nt.subarray(0, 16))),
    field('RespType', blob[0] ?? 0),
    field('HiRespType', blob[1] ?? 0),
    field('TimeStamp', filetime(blob.subarray(8, 16))),
    field('ChallengeFromClient', hex(blob.subarray(16, 24))),
    field('AvPairs', undefined, avPairs(blob.subarray(28))),
  ]);
}

/** Explains an NTLM message. */
export function explainNtlm(b: Uint8Array): TokenExplanation {
  const type = b.length >= 12 ? Buffer.from(b).readUInt32LE(8) : -1;
  const head: Field[] = [field('Signature', 'NTLMSSP\\0'), field('MessageType', type)];
  const failed = (summary: string, detail: string): TokenExplanation => ({
    kind: 'ntlm',
    summary,
    fields: head,
    stopped: { reason: detail },
  });
  switch (type) {
    case 1: {
      const r = decodeNegotiate(b);
      if (!r.ok) return failed('NTLM NEGOTIATE_MESSAGE (type 1)', r.error.detail);
      const m = r.value;
      return {
        kind: 'ntlm',
        summary: `NTLM NEGOTIATE_MESSAGE (type 1), ${b.length} bytes`,
        fields: [
          ...head,
          flagsField(m.flags),
          field('DomainName', str(m.domainName, false)),
          field('Workstation', str(m.workstation, false)),
          ...version(m.version),
        ],
      };
    }
    case 2: {
      const r = decodeChallenge(b);
      if (!r.ok) return failed('NTLM CHALLENGE_MESSAGE (type 2)', r.error.detail);
      const m = r.value;
      const unicode = (m.flags & NegotiateFlag.UNICODE) !== 0;
      return {
        kind: 'ntlm',
        summary: `NTLM CHALLENGE_MESSAGE (type 2), ${b.length} bytes`,
        fields: [
          ...head,
          flagsField(m.flags),
          field('TargetName', str(m.targetName, unicode)),
          field('ServerChallenge', hex(m.serverChallenge)),
          field('TargetInfo', `${m.targetInfo.length} bytes`, avPairs(m.targetInfo)),
          ...version(m.version),
        ],
      };
    }
    case 3: {
      const r = decodeAuthenticate(b);
      if (!r.ok) return failed('NTLM AUTHENTICATE_MESSAGE (type 3)', r.error.detail);
      const m = r.value;
      const unicode = (m.flags & NegotiateFlag.UNICODE) !== 0;
      return {
        kind: 'ntlm',
        summary: `NTLM AUTHENTICATE_MESSAGE (type 3), ${b.length} bytes`,
        fields: [
          ...head,
          flagsField(m.flags),
          field('DomainName', str(m.domainName, unicode)),
          field('UserName', str(m.userName, unicode)),
          field('Workstation', str(m.workstation, unicode)),
          field(
            'LmChallengeResponse',
            `${m.lmChallengeResponse.length} bytes${m.lmChallengeResponse.every((x) => x === 0) ? ' (zeros)' : ''}`,
          ),
          ntResponse(m.ntChallengeResponse),
          field(
            'EncryptedRandomSessionKey',
            m.encryptedRandomSessionKey.length === 0 ? 'absent' : hex(m.encryptedRandomSessionKey),
          ),
          ...version(m.version),
          field('MIC', m.mic === undefined ? 'absent' : m.mic.every((x) => x === 0) ? 'all zero' : hex(m.mic)),
        ],
      };
    }
    default:
      return failed('NTLM message', type < 0 ? 'truncated before the message type' : `unknown message type ${type}`);
  }
}
