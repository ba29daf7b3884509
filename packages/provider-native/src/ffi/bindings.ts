/** Channel bindings (RFC 2744 §3.11, RFC 5056) laid out as gss_channel_bindings_struct. */
import type { GssLibrary } from './library.js';
import { fillBufferDesc } from './memory.js';

/** Channel bindings in GSS terms; for TLS, `applicationData` carries e.g. `tls-server-end-point:…`. */
export interface ChannelBindings {
  readonly initiatorAddrtype: number;
  readonly initiatorAddress: Uint8Array;
  readonly acceptorAddrtype: number;
  readonly acceptorAddress: Uint8Array;
  readonly applicationData: Uint8Array;
}

/** Builds the native struct; the returned object must stay referenced for the duration of the call. */
export function layChannelBindings(
  lib: GssLibrary,
  cb: ChannelBindings,
): { readonly struct: Buffer; readonly keep: readonly Uint8Array[] } {
  const l = lib.layout.channelBindings;
  const struct = Buffer.alloc(l.size);
  struct.writeUInt32LE(cb.initiatorAddrtype >>> 0, l.initiatorAddrtype);
  fillBufferDesc(lib, struct, l.initiatorAddress, cb.initiatorAddress);
  struct.writeUInt32LE(cb.acceptorAddrtype >>> 0, l.acceptorAddrtype);
  fillBufferDesc(lib, struct, l.acceptorAddress, cb.acceptorAddress);
  fillBufferDesc(lib, struct, l.applicationData, cb.applicationData);
  return { struct, keep: [cb.initiatorAddress, cb.acceptorAddress, cb.applicationData] };
}
