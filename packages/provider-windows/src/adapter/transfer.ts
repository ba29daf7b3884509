/**
 * ExportSecurityContext / ImportSecurityContextW, and ImpersonateSecurityContext /
 * RevertSecurityContext for real (the calling thread takes the client's token; in Node that is the
 * main thread, so revert before anything else runs on it).
 */
import { SecStatus, isSuccess } from '@sspkit/core';
import { Layout, getUlong, putPointer, putUlong, wipeAndFree } from '../marshal/memory.js';
import { causeOf, inline } from './call.js';
import type { HandleTables, Native } from './state.js';

/** ExportSecurityContext: the packed context (the package's allocation copied and released). */
export function exportContext(
  native: Native,
  tables: HandleTables,
  h: number,
  flags: number,
): { status: number; packedContext?: Uint8Array } {
  const entry = tables.contexts.get(h);
  if (!entry) return { status: SecStatus.SEC_E_INVALID_HANDLE };
  const { memory } = native;
  const packed = memory.alloc(Layout.SEC_BUFFER);
  const token = memory.alloc(8);
  try {
    const s = inline(
      native.secur32.ExportSecurityContext,
      'other',
      entry.handle.address,
      flags,
      packed.address,
      token.address,
    );
    // A token handle comes back only when asked for; sspkit's shape carries no kernel handle, so close it.
    const t = memory.pointerAt(token, 0);
    if (t !== null) native.advapi32.CloseHandle(t.address);
    if (!isSuccess(s.status)) return { status: s.status };
    const p = memory.pointerAt(packed, 8);
    if (p === null) return { status: s.status, packedContext: new Uint8Array(0) };
    const bytes = memory.read(p, getUlong(packed, 0));
    memory.freeContextBuffer(p);
    return { status: s.status, packedContext: bytes };
  } finally {
    memory.free(packed);
    memory.free(token);
  }
}

/** ImportSecurityContextW into a new handle of this package. */
export function importContext(
  native: Native,
  tables: HandleTables,
  pkg: string,
  packedContext: Uint8Array,
): { status: number; contextHandle?: number } {
  const { memory } = native;
  const data = memory.alloc(packedContext.length);
  const buffer = memory.alloc(Layout.SEC_BUFFER);
  const handle = memory.alloc(Layout.SEC_HANDLE);
  let kept = false;
  try {
    data.bytes.set(packedContext);
    putUlong(buffer, 0, packedContext.length);
    putUlong(buffer, 4, 0); // BufferType: the packed context is opaque
    putPointer(buffer, 8, data.address);
    const s = inline(native.secur32.ImportSecurityContextW, 'other', pkg, buffer.address, null, handle.address);
    if (!isSuccess(s.status)) return { status: s.status };
    kept = true;
    const contextHandle = tables.addContext({
      handle,
      side: 'server',
      requested: 0,
      attributes: 0,
      expiry: 0n,
      complete: true,
      lastFailure: undefined,
    });
    return { status: s.status, contextHandle };
  } finally {
    wipeAndFree(memory, data);
    memory.free(buffer);
    if (!kept) memory.free(handle);
  }
}

/** ImpersonateSecurityContext: the calling thread runs as the client until {@link revert}. */
export function impersonate(native: Native, tables: HandleTables, h: number): { status: number; cause?: unknown } {
  const entry = tables.contexts.get(h);
  if (!entry) return { status: SecStatus.SEC_E_INVALID_HANDLE };
  const s = inline(native.secur32.ImpersonateSecurityContext, 'other', entry.handle.address);
  return isSuccess(s.status)
    ? { status: s.status }
    : { status: s.status, cause: causeOf('ImpersonateSecurityContext', s) };
}

/** RevertSecurityContext. */
export function revert(native: Native, tables: HandleTables, h: number): number {
  const entry = tables.contexts.get(h);
  if (!entry) return SecStatus.SEC_E_INVALID_HANDLE;
  return inline(native.secur32.RevertSecurityContext, 'other', entry.handle.address).status;
}
