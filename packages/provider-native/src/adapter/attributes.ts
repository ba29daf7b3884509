/** QueryContextAttributes for the native packages. */
import { NegotiationState, SecPkgAttr, SecStatus, timeStampFromMillis } from '@sspkit/core';
import type { SecPkgContextSizes } from '@sspkit/core';
import { inquireContext, IovType, oidToDotted, sessionKey, wrapIovLength } from '../ffi/index.js';
import { statusFromError } from './failure.js';
import { ascRetFromGss, iscRetFromGss } from './flag-table.js';
import { MAX_TOKEN, packageInfo } from './info.js';
import type { NativeKind } from './info.js';
import type { CtxEntry, HandleTables } from './state.js';

const KRB5_OID = '1.2.840.113554.1.2.2';
const EMPTY = new Uint8Array(0);
const ONE = new Uint8Array(1);

const sizesCache = new WeakMap<CtxEntry, SecPkgContextSizes>();

/**
 * SecPkgContext_Sizes from gss_wrap_iov_length, which consumes no sequence number: the sealed
 * header (trailer folded in) is cbSecurityTrailer, the integrity-only one is cbMaxSignature (same
 * size as a MIC for RFC 4121 enctypes), and padding for a one-byte message gives the block size.
 */
function sizesOf(e: CtxEntry): SecPkgContextSizes {
  const cached = sizesCache.get(e);
  if (cached !== undefined) return cached;
  const layout = (conf: boolean, data: Uint8Array): number[] =>
    wrapIovLength(e.ctx.ptr, conf, 0, [
      { type: IovType.HEADER, data: EMPTY },
      { type: IovType.DATA, data },
      { type: IovType.PADDING, data: EMPTY },
    ]);
  const sealed = layout(true, EMPTY);
  const signed = layout(false, EMPTY);
  const pad = layout(true, ONE)[2] ?? 0;
  const sizes = {
    maxToken: MAX_TOKEN,
    maxSignature: signed[0] ?? 0,
    blockSize: pad === 0 ? 1 : pad + 1,
    securityTrailer: sealed[0] ?? 0,
  };
  sizesCache.set(e, sizes);
  return sizes;
}

/** SpQueryContextAttributes. */
export function queryAttribute(
  tables: HandleTables,
  kind: NativeKind,
  handle: number,
  attribute: number,
): { status: number; buffer?: unknown } {
  const e = tables.contexts.get(handle);
  if (e === undefined) return { status: SecStatus.SEC_E_INVALID_HANDLE };
  const ok = (buffer: unknown): { status: number; buffer: unknown } => ({ status: SecStatus.SEC_E_OK, buffer });
  try {
    switch (attribute) {
      case SecPkgAttr.PACKAGE_INFO:
        return ok({ packageInfo: packageInfo(kind) });
      case SecPkgAttr.NEGOTIATION_INFO: {
        if (kind !== 'Negotiate') return { status: SecStatus.SEC_E_UNSUPPORTED_FUNCTION };
        const krb5 = oidToDotted(e.negotiated) === KRB5_OID;
        return ok({
          packageInfo: packageInfo(krb5 ? 'Kerberos' : 'Negotiate'),
          negotiationState: e.complete ? NegotiationState.COMPLETE : NegotiationState.IN_PROGRESS,
        });
      }
      case SecPkgAttr.FLAGS:
        return ok({
          flags: e.side === 'client' ? iscRetFromGss(e.gssFlags, e.requested) : ascRetFromGss(e.gssFlags, e.requested),
        });
      case SecPkgAttr.LIFESPAN:
        return ok({ start: timeStampFromMillis(e.start), expiry: timeStampFromMillis(e.expiry) });
      default:
        break;
    }
    if (!e.complete) return { status: SecStatus.SEC_E_INVALID_HANDLE };
    switch (attribute) {
      case SecPkgAttr.SIZES:
        return ok(sizesOf(e));
      case SecPkgAttr.NAMES:
        return ok({ userName: inquireContext(e.ctx).source });
      case SecPkgAttr.NATIVE_NAMES: {
        const info = inquireContext(e.ctx);
        return ok({ clientName: info.source, serverName: info.target });
      }
      case SecPkgAttr.AUTHORITY: {
        const source = inquireContext(e.ctx).source;
        return ok({ authorityName: source.includes('@') ? source.slice(source.lastIndexOf('@') + 1) : '' });
      }
      case SecPkgAttr.SESSION_KEY:
        return ok({ sessionKey: ownedKey(sessionKey(e.ctx).key) });
      default:
        return { status: SecStatus.SEC_E_UNSUPPORTED_FUNCTION };
    }
  } catch (err) {
    return { status: statusFromError(err) };
  }
}

/** The caller's copy of a session key; the intermediate Buffer is wiped. */
function ownedKey(key: Buffer): Uint8Array {
  const copy = new Uint8Array(key);
  key.fill(0);
  return copy;
}
