import { md5 } from './hashes.js';

/** gss_channel_bindings_struct fields (RFC 2744 §3.11); addresses are usually empty. */
export interface ChannelBindings {
  readonly initiatorAddrType?: number;
  readonly initiatorAddress?: Uint8Array;
  readonly acceptorAddrType?: number;
  readonly acceptorAddress?: Uint8Array;
  readonly applicationData: Uint8Array;
}

/**
 * MsvAvChannelBindings value (MS-NLMP §2.2.2.1): MD5 of the gss_channel_bindings_struct flattened as
 * little-endian (addrtype, length, value) for initiator, acceptor, then (length, value) of the
 * application data.
 */
export function channelBindingsHash(cb: ChannelBindings): Uint8Array {
  const ia = cb.initiatorAddress ?? new Uint8Array(0);
  const aa = cb.acceptorAddress ?? new Uint8Array(0);
  const ad = cb.applicationData;
  const buf = new Uint8Array(20 + ia.length + aa.length + ad.length);
  const v = new DataView(buf.buffer);
  let o = 0;
  v.setUint32(o, cb.initiatorAddrType ?? 0, true);
  v.setUint32(o + 4, ia.length, true);
  buf.set(ia, o + 8);
  o += 8 + ia.length;
  v.setUint32(o, cb.acceptorAddrType ?? 0, true);
  v.setUint32(o + 4, aa.length, true);
  buf.set(aa, o + 8);
  o += 8 + aa.length;
  v.setUint32(o, ad.length, true);
  buf.set(ad, o + 4);
  return md5(buf);
}
