/**
 * SEC_CHANNEL_BINDINGS (the content of a SECBUFFER_CHANNEL_BINDINGS buffer) → GSS channel bindings.
 * Layout (sspi.h): eight ULONGs — dwInitiatorAddrType, cbInitiatorLength, dwInitiatorOffset,
 * dwAcceptorAddrType, cbAcceptorLength, dwAcceptorOffset, cbApplicationDataLength,
 * dwApplicationDataOffset — with offsets from the start of the structure.
 */
import type { ChannelBindings } from '../ffi/index.js';

const HEADER = 32;

/** Parses a SEC_CHANNEL_BINDINGS blob; null when it is malformed. */
export function parseSecChannelBindings(blob: Uint8Array): ChannelBindings | null {
  if (blob.length < HEADER) return null;
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const u = (i: number): number => view.getUint32(i * 4, true);
  const slice = (length: number, offset: number): Uint8Array | null => {
    if (length === 0) return new Uint8Array(0);
    if (offset < HEADER || offset + length > blob.length) return null;
    return blob.subarray(offset, offset + length);
  };
  const initiator = slice(u(1), u(2));
  const acceptor = slice(u(4), u(5));
  const app = slice(u(6), u(7));
  if (initiator === null || acceptor === null || app === null) return null;
  return { initiatorAddrtype: u(0), initiatorAddress: initiator, acceptorAddrtype: u(3), acceptorAddress: acceptor, applicationData: app };
}

/** Builds a SEC_CHANNEL_BINDINGS blob carrying only application data (what TLS bindings use). */
export function secChannelBindings(applicationData: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER + applicationData.length);
  const view = new DataView(out.buffer);
  view.setUint32(24, applicationData.length, true);
  view.setUint32(28, HEADER, true);
  out.set(applicationData, HEADER);
  return out;
}
