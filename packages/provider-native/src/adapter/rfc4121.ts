/**
 * Which per-message path a context takes. An established plain-krb5 context whose enctype sspkit
 * implements makes its tokens in TypeScript (src/lucid) from its first per-message call on; the
 * library keeps the others. Decided once per context, before any token is made, because the two
 * paths cannot share sequence numbers: once sspkit makes tokens, the library's copy is stale.
 */
import { openSession } from '../lucid/index.js';
import type { Rfc4121Session } from '../lucid/index.js';
import type { CtxEntry } from './state.js';

/** The context's TypeScript session, or null for the library path. */
export function sessionOf(e: CtxEntry): Rfc4121Session | null {
  if (e.rfc4121 !== undefined) return e.rfc4121;
  // MIT's SPNEGO may check a mechListMIC inside the handshake: that moves the library's receive
  // window but not the lucid export's recv_seq. A context imported from the library's own export
  // may carry a moved window too. Both stay with the library (ExportSecurityContext of a session
  // carries the window itself, see transfer.ts).
  if (e.mech !== 'krb5' || e.imported === true) return (e.rfc4121 = null);
  try {
    e.rfc4121 = openSession(e.ctx, e.gssFlags);
  } catch {
    // The library could not export it (a non-krb5 mechanism, an old library): keep the library.
    e.rfc4121 = null;
  }
  return e.rfc4121;
}
