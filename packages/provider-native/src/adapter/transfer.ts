/**
 * ExportSecurityContext / ImportSecurityContext over gss_export/import_sec_context. The packed form
 * (packed-context.ts) is a 4-byte tag, one side byte, the GSS interprocess token and a MAC: MIT's
 * import trusts its token, so nothing else reaches it. GSS consumes the context on export,
 * so unless SECPKG_CONTEXT_EXPORT_DELETE_OLD is given the old handle is rebuilt from the same
 * token, keeping it usable as on Windows.
 */
import { ContextExport, SecStatus } from '@sspkit/core';
import { contextSourceName, exportSecContext, importSecContext, inquireContext } from '../ffi/index.js';
import type { GssMech, NativeHandle } from '../ffi/index.js';
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
    const packed = pack(e.side, token);
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
  const { side } = unpacked;
  let ctx: NativeHandle | undefined;
  try {
    ctx = importSecContext(unpacked.token);
    const info = inquireContext(ctx);
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
    });
    return { status: SecStatus.SEC_E_OK, contextHandle: handle };
  } catch (err) {
    // Not registered: nothing else will release the imported context.
    ctx?.release();
    return { status: statusFromError(err) };
  }
}
