/**
 * SEC_CHANNEL_BINDINGS (sspi.h), as a caller puts it in a SECBUFFER_CHANNEL_BINDINGS buffer, decoded
 * by @sspkit/ntlm's codec. The application data is named per RFC 5929 (`tls-server-end-point:`,
 * `tls-unique:`) and RFC 9266 (`tls-exporter:`), and the MD5 hash that NTLM's MsvAvChannelBindings
 * and Kerberos' GSS checksum carry (RFC 4121 §4.1.1.2) is shown so it can be compared with theirs.
 */
import { channelBindingsHash, decodeSecChannelBindings } from '@sspkit/ntlm';
import type { Field, TokenExplanation } from './types.js';
import { field, hex } from './types.js';

const PREFIXES = ['tls-server-end-point:', 'tls-unique:', 'tls-exporter:'] as const;

/** Heuristic: a SEC_CHANNEL_BINDINGS whose offsets and lengths add up exactly to its size. */
export function looksLikeChannelBindings(b: Uint8Array): boolean {
  if (b.length < 32) return false;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let end = 32;
  for (const [len, off] of [
    [4, 8],
    [16, 20],
    [24, 28],
  ] as const) {
    const l = v.getUint32(len, true);
    const o = v.getUint32(off, true);
    if (l === 0) continue;
    if (o < 32 || o + l > b.length) return false;
    end = Math.max(end, o + l);
  }
  return end === b.length;
}

/** Names the application data of a channel binding. */
export function applicationData(data: Uint8Array): Field[] {
  const asText = Buffer.from(data).toString('latin1');
  const prefix = PREFIXES.find((p) => asText.startsWith(p));
  if (prefix === undefined) return [field('application data', `${data.length} bytes ${hex(data.subarray(0, 64))}`)];
  const value = data.subarray(prefix.length);
  const hashName = prefix === 'tls-server-end-point:' ? ` (${value.length * 8}-bit certificate hash)` : '';
  return [field('type', prefix.slice(0, -1)), field('value', `${hex(value)}${hashName}`)];
}

/** Explains a SEC_CHANNEL_BINDINGS structure. */
export function explainChannelBindings(b: Uint8Array): TokenExplanation {
  const r = decodeSecChannelBindings(b);
  if (!r.ok)
    return {
      kind: 'channel-bindings',
      summary: 'SEC_CHANNEL_BINDINGS',
      fields: [],
      stopped: { reason: r.error.detail },
    };
  const cb = r.value;
  const fields: Field[] = [
    field('dwInitiatorAddrType', cb.initiatorAddrType ?? 0),
    field('Initiator', `${cb.initiatorAddress?.length ?? 0} bytes`),
    field('dwAcceptorAddrType', cb.acceptorAddrType ?? 0),
    field('Acceptor', `${cb.acceptorAddress?.length ?? 0} bytes`),
    field('ApplicationData', `${cb.applicationData.length} bytes`, applicationData(cb.applicationData)),
    field('MD5 binding hash (NTLM MsvAvChannelBindings, Kerberos Bnd)', hex(channelBindingsHash(cb))),
  ];
  return { kind: 'channel-bindings', summary: 'SEC_CHANNEL_BINDINGS (sspi.h)', fields };
}
