/**
 * SEC_CHANNEL_BINDINGS (the content of a SECBUFFER_CHANNEL_BINDINGS buffer) → GSS channel bindings
 * (gss_channel_bindings_struct, RFC 2744 §3.11). The structure's codec is core's.
 */
import { decodeSecChannelBindings, encodeSecChannelBindings } from '@sspkit/core';
import type { ChannelBindings } from '../ffi/index.js';

/** Parses a SEC_CHANNEL_BINDINGS blob into GSS's struct; null when it is malformed. */
export function parseSecChannelBindings(blob: Uint8Array): ChannelBindings | null {
  const r = decodeSecChannelBindings(blob);
  if (!r.ok) return null;
  const cb = r.value;
  return {
    initiatorAddrtype: cb.initiatorAddrType,
    initiatorAddress: cb.initiatorAddress,
    acceptorAddrtype: cb.acceptorAddrType,
    acceptorAddress: cb.acceptorAddress,
    applicationData: cb.applicationData,
  };
}

/** Builds a SEC_CHANNEL_BINDINGS blob carrying only application data (what TLS bindings use). */
export function secChannelBindings(applicationData: Uint8Array): Uint8Array {
  return encodeSecChannelBindings({ applicationData });
}
