/**
 * Describes what one handshake really negotiated, decoded with our own codec, so the report shows
 * that both sides ran the same protocol (NTLMv2, ESS, key exchange, 128-bit, sign+seal, MIC).
 */
import { decodeAuthenticate } from '../../../packages/ntlm/src/messages/authenticate.js';
import { AvFlag, AvId, decodeAvPairs } from '../../../packages/ntlm/src/messages/av-pairs.js';
import { decodeChallenge } from '../../../packages/ntlm/src/messages/challenge.js';
import { NegotiateFlag } from '../../../packages/ntlm/src/messages/flags.js';
import type { HandshakeSample } from './gss-driver.js';

// NTLMv2_RESPONSE: NTProofStr (16) then the client challenge header (28) before the AV pairs (MS-NLMP §2.2.2.7-8).
const BLOB_AV_PAIRS = 16 + 28;

/** A one-line summary of the features in a handshake's tokens. */
export function describeHandshake(s: HandshakeSample): string {
  const chal = decodeChallenge(s.challenge);
  const auth = decodeAuthenticate(s.authenticate);
  if (!chal.ok || !auth.ok) return 'tokens did not decode';
  const f = auth.value.flags;
  const has = (flag: number): boolean => (f & flag) >>> 0 === flag >>> 0;
  const nt = auth.value.ntChallengeResponse;
  const features = [
    nt.length > 24 ? 'NTLMv2' : 'NTLMv1',
    has(NegotiateFlag.EXTENDED_SESSIONSECURITY) ? 'ESS' : 'no ESS',
    has(NegotiateFlag.KEY_EXCH) ? 'KEY_EXCH' : 'no KEY_EXCH',
    has(NegotiateFlag.NEGOTIATE_128) ? '128-bit' : 'weak keys',
    has(NegotiateFlag.SIGN) && has(NegotiateFlag.SEAL) ? 'SIGN+SEAL' : 'no SIGN+SEAL',
  ];
  const pairs = nt.length > BLOB_AV_PAIRS ? decodeAvPairs(nt.subarray(BLOB_AV_PAIRS)) : undefined;
  const avFlags = pairs?.ok ? pairs.value.find((p) => p.id === AvId.FLAGS)?.value : undefined;
  const micAnnounced =
    avFlags !== undefined &&
    avFlags.length === 4 &&
    (new DataView(avFlags.buffer, avFlags.byteOffset, 4).getUint32(0, true) & AvFlag.MIC_PRESENT) !== 0;
  const micPresent = auth.value.mic !== undefined && auth.value.mic.some((b) => b !== 0);
  features.push(micAnnounced && micPresent ? 'MIC' : 'no MIC');
  const sizes = `${s.negotiate.length}/${s.challenge.length}/${s.authenticate.length} B`;
  return `${features.join(', ')}; tokens ${sizes}`;
}
