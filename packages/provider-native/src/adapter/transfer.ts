/**
 * ExportSecurityContext / ImportSecurityContext over gss_export/import_sec_context. The packed form
 * (packed-context.ts) is a 4-byte tag, one side byte, the GSS interprocess token and a MAC: MIT's
 * import trusts its token, so nothing else reaches it. GSS consumes the context on export,
 * so unless SECPKG_CONTEXT_EXPORT_DELETE_OLD is given the old handle is rebuilt from the same
 * token, keeping it usable as on Windows. A context whose tokens sspkit makes itself (src/lucid)
 * also carries its sending number and receive window (packed-context.ts).
 */
import { ContextExport, SecStatus } from '@sspkit/core';
import { contextSourceName, exportSecContext, importSecContext, inquireContext } from '../ffi/index.js';
import type { GssMech, NativeHandle } from '../ffi/index.js';
import { openSession } from '../lucid/index.js';
import type { Rfc4121Session } from '../lucid/index.js';
import { statusFromError } from './failure.js';
import { pack, unpack } from './packed-context.js';
import type { HandleTables } from './state.js';

/** SpExportSecurityContext. */
export function exportContext(
  tables: HandleTables,
  handle: number,
  flags: number,
): { status: number; packedContext?: Uint8Array } {
  const e = tables.contexts.get(handle);
  if (e === undefined) return { status: SecStatus.SEC_E_INVALID_HANDLE };
  if (!e.complete) return { status: SecStatus.SEC_E_INVALID_HANDLE };
  try {
    // The initiator's name is fetched lazily: take it from the original context before GSS
    // consumes it, so the rebuilt handle keeps the name with its authorization data.
    const keep = (flags & ContextExport.DELETE_OLD) === 0;
    if (keep && e.side === 'server' && e.source === null && e.imported !== true) e.source = contextSourceName(e.ctx);
    // Taken first: dropping the handle wipes the session.
    const state = e.rfc4121 ? e.rfc4121.saveState() : null;
    const token = exportSecContext(e.ctx);
    if (!keep) tables.dropContext(handle);
    else {
      try {
        e.ctx.update(importSecContext(token).ptrTransfer());
      } catch (err) {
        // GSS consumed the context: this handle is dead now, so it goes (and the token is wiped).
        token.fill(0);
        tables.dropContext(handle);
        throw err;
      }
    }
    const packed = pack(e.side, token, state);
    token.fill(0);
    return { status: SecStatus.SEC_E_OK, packedContext: packed };
  } catch (err) {
    return { status: statusFromError(err) };
  }
}

/** SpImportSecurityContext. */
export function importContext(
  tables: HandleTables,
  mech: GssMech,
  packed: Uint8Array,
): { status: number; contextHandle?: number } {
  const unpacked = unpack(packed);
  if (unpacked === undefined) return { status: SecStatus.SEC_E_INVALID_TOKEN };
  const { side, state: packedState } = unpacked;
  let ctx: NativeHandle | undefined;
  let rfc4121: Rfc4121Session | null = null;
  try {
    ctx = importSecContext(unpacked.token);
    const info = inquireContext(ctx);
    if (packedState !== null) {
      rfc4121 = openSession(ctx, info.flags, packedState);
      // The library's sequence numbers are stale: without sspkit's own, the context is unusable.
      if (rfc4121 === null) throw new Error('the exported context names an enctype sspkit cannot protect');
    }
    const now = Date.now();
    const handle = tables.addContext({
      side,
      ctx,
      mech,
      target: null,
      cred: null,
      requested: 0,
      complete: true,
      gssFlags: info.flags,
      start: now,
      expiry: now + (info.lifetime === 0xffffffff ? 0x7fffffff * 1000 : info.lifetime * 1000),
      source: null,
      delegated: null,
      negotiated: info.mech,
      imported: true,
      rfc4121,
    });
    return { status: SecStatus.SEC_E_OK, contextHandle: handle };
  } catch (err) {
    // Not registered: nothing else will release the imported context.
    ctx?.release();
    rfc4121?.wipe();
    return { status: statusFromError(err) };
  }
}
