import type { ChannelBindings } from '../crypto/channel-bindings.js';
import type { DecodeResult } from './result.js';
import { fail, ok } from './result.js';
import { viewOf } from './wire.js';

/** Size of the SEC_CHANNEL_BINDINGS header: eight 32-bit fields. */
const HEADER = 32;

/**
 * Decodes the SEC_CHANNEL_BINDINGS structure a caller puts in a SECBUFFER_CHANNEL_BINDINGS buffer
 * (sspi.h): address types, lengths and offsets relative to the structure, then the data. Every
 * (offset, length) is bounds-checked.
 */
export function decodeSecChannelBindings(buf: Uint8Array): DecodeResult<ChannelBindings> {
  if (buf.length < HEADER) return fail('truncated', 'SEC_CHANNEL_BINDINGS shorter than its header');
  const v = viewOf(buf);
  const part = (lenAt: number, offAt: number, name: string): DecodeResult<Uint8Array> => {
    const len = v.getUint32(lenAt, true);
    const off = v.getUint32(offAt, true);
    if (len === 0) return ok(new Uint8Array(0));
    if (off < HEADER || off + len > buf.length) return fail('field-out-of-bounds', `${name} outside the structure`);
    return ok(buf.slice(off, off + len));
  };
  const ini = part(4, 8, 'initiator address');
  if (!ini.ok) return ini;
  const acc = part(16, 20, 'acceptor address');
  if (!acc.ok) return acc;
  const app = part(24, 28, 'application data');
  if (!app.ok) return app;
  return ok({
    initiatorAddrType: v.getUint32(0, true),
    initiatorAddress: ini.value,
    acceptorAddrType: v.getUint32(12, true),
    acceptorAddress: acc.value,
    applicationData: app.value,
  });
}

/** Encodes a SEC_CHANNEL_BINDINGS structure (for callers building the SSPI buffer, and tests). */
export function encodeSecChannelBindings(cb: ChannelBindings): Uint8Array {
  const ia = cb.initiatorAddress ?? new Uint8Array(0);
  const aa = cb.acceptorAddress ?? new Uint8Array(0);
  const ad = cb.applicationData;
  const out = new Uint8Array(HEADER + ia.length + aa.length + ad.length);
  const v = viewOf(out);
  let o = HEADER;
  const put = (typeAt: number | undefined, type: number, lenAt: number, data: Uint8Array): void => {
    if (typeAt !== undefined) v.setUint32(typeAt, type, true);
    v.setUint32(lenAt, data.length, true);
    v.setUint32(lenAt + 4, data.length > 0 ? o : 0, true);
    out.set(data, o);
    o += data.length;
  };
  put(0, cb.initiatorAddrType ?? 0, 4, ia);
  put(12, cb.acceptorAddrType ?? 0, 16, aa);
  put(undefined, 0, 24, ad);
  return out;
}
