/**
 * SEC_CHANNEL_BINDINGS (sspi.h), the content of a SECBUFFER_CHANNEL_BINDINGS buffer: eight ULONGs
 * (dwInitiatorAddrType, cbInitiatorLength, dwInitiatorOffset, dwAcceptorAddrType, cbAcceptorLength,
 * dwAcceptorOffset, cbApplicationDataLength, dwApplicationDataOffset), little-endian, offsets from
 * the start of the structure, then the data. One codec for every package that reads or builds one.
 */

/** Size of the header: eight 32-bit fields. */
const HEADER = 32;

/** A decoded SEC_CHANNEL_BINDINGS; addresses are usually empty (TLS bindings carry only data). */
export interface SecChannelBindings {
  readonly initiatorAddrType: number;
  readonly initiatorAddress: Uint8Array;
  readonly acceptorAddrType: number;
  readonly acceptorAddress: Uint8Array;
  readonly applicationData: Uint8Array;
}

/** What `encodeSecChannelBindings` takes: the application data, and the addresses if any. */
export interface SecChannelBindingsInput {
  readonly initiatorAddrType?: number;
  readonly initiatorAddress?: Uint8Array;
  readonly acceptorAddrType?: number;
  readonly acceptorAddress?: Uint8Array;
  readonly applicationData: Uint8Array;
}

/** The decoder's answer: the structure, or why it is malformed (never thrown). */
export type SecChannelBindingsResult =
  | { readonly ok: true; readonly value: SecChannelBindings }
  | {
      readonly ok: false;
      readonly error: { readonly code: 'truncated' | 'field-out-of-bounds'; readonly detail: string };
    };

/** Decodes a SEC_CHANNEL_BINDINGS; every (offset, length) is checked against the buffer. */
export function decodeSecChannelBindings(buf: Uint8Array): SecChannelBindingsResult {
  if (buf.length < HEADER) {
    return { ok: false, error: { code: 'truncated', detail: 'SEC_CHANNEL_BINDINGS shorter than its header' } };
  }
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const part = (lenAt: number, offAt: number): Uint8Array | undefined => {
    const len = v.getUint32(lenAt, true);
    const off = v.getUint32(offAt, true);
    if (len === 0) return new Uint8Array(0);
    if (off < HEADER || off + len > buf.length) return undefined;
    return buf.slice(off, off + len);
  };
  const initiatorAddress = part(4, 8);
  const acceptorAddress = part(16, 20);
  const applicationData = part(24, 28);
  if (initiatorAddress === undefined || acceptorAddress === undefined || applicationData === undefined) {
    const name =
      initiatorAddress === undefined
        ? 'initiator address'
        : acceptorAddress === undefined
          ? 'acceptor address'
          : 'application data';
    return { ok: false, error: { code: 'field-out-of-bounds', detail: `${name} outside the structure` } };
  }
  const initiatorAddrType = v.getUint32(0, true);
  const acceptorAddrType = v.getUint32(12, true);
  return {
    ok: true,
    value: { initiatorAddrType, initiatorAddress, acceptorAddrType, acceptorAddress, applicationData },
  };
}

/** Encodes a SEC_CHANNEL_BINDINGS (what a caller puts in a SECBUFFER_CHANNEL_BINDINGS buffer). */
export function encodeSecChannelBindings(cb: SecChannelBindingsInput): Uint8Array {
  const ia = cb.initiatorAddress ?? new Uint8Array(0);
  const aa = cb.acceptorAddress ?? new Uint8Array(0);
  const ad = cb.applicationData;
  const out = new Uint8Array(HEADER + ia.length + aa.length + ad.length);
  const v = new DataView(out.buffer);
  let o = HEADER;
  const put = (lenAt: number, data: Uint8Array): void => {
    v.setUint32(lenAt, data.length, true);
    v.setUint32(lenAt + 4, data.length > 0 ? o : 0, true);
    out.set(data, o);
    o += data.length;
  };
  v.setUint32(0, cb.initiatorAddrType ?? 0, true);
  put(4, ia);
  v.setUint32(12, cb.acceptorAddrType ?? 0, true);
  put(16, aa);
  put(24, ad);
  return out;
}
