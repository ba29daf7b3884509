/**
 * Negotiate's user-mode table: after the handshake everything goes to the chosen package's context
 * (per-message calls, the access token, export/import), as Windows' Negotiate hands the context to the
 * package it negotiated. Negotiate answers only what is its own: which package won.
 */
import { NegotiationState, SecPkgAttr, SecPkgAttrExtra, SecStatus } from '@sspkit/core';
import type { LsaSecHandle, SecpkgUserFunctionTable, SecurityStatus } from '@sspkit/core';
import { NegotiateContext } from './context.js';
import { InnerContext } from './inner.js';
import { declaredOid } from './mechanisms.js';
import type { NegotiateState } from './state.js';

type UserTable = SecpkgUserFunctionTable;

/** The inner package's user table and handle behind a Negotiate context. */
function innerOf(
  state: NegotiateState,
  h: LsaSecHandle,
): { table: UserTable | undefined; handle: LsaSecHandle } | SecurityStatus {
  const ctx = state.contexts.get(h);
  if (!ctx) return SecStatus.SEC_E_INVALID_HANDLE;
  const inner = ctx.inner;
  if (!inner || inner.handle === undefined || !ctx.complete) return SecStatus.SEC_E_OUT_OF_SEQUENCE;
  return { table: inner.mech.located.userFunctionTable, handle: inner.handle };
}

/** QueryContextAttributes for both tables. */
export function queryContext(
  state: NegotiateState,
  h: LsaSecHandle,
  attribute: number,
): { status: SecurityStatus; buffer?: unknown } {
  const ctx = state.contexts.get(h);
  if (!ctx) return { status: SecStatus.SEC_E_INVALID_HANDLE };
  const chosen = ctx.inner?.mech.located.info;
  switch (attribute) {
    case SecPkgAttr.PACKAGE_INFO:
      return { status: SecStatus.SEC_E_OK, buffer: { packageInfo: state.info } };
    case SecPkgAttr.NEGOTIATION_INFO: {
      const negotiationState = ctx.complete
        ? NegotiationState.COMPLETE
        : ctx.selected
          ? NegotiationState.IN_PROGRESS
          : NegotiationState.OPTIMISTIC;
      return { status: SecStatus.SEC_E_OK, buffer: { packageInfo: chosen ?? state.info, negotiationState } };
    }
    case SecPkgAttrExtra.NEGOTIATION_PACKAGE:
      return chosen
        ? { status: SecStatus.SEC_E_OK, buffer: { packageInfo: chosen } }
        : { status: SecStatus.SEC_E_OUT_OF_SEQUENCE };
    default:
      if (!ctx.inner) return { status: SecStatus.SEC_E_OUT_OF_SEQUENCE };
      return ctx.inner.query(attribute);
  }
}

const PACK_VERSION = 1;

/** Builds the user-mode table of one Negotiate instance. */
export function userTable(state: NegotiateState): SecpkgUserFunctionTable {
  const statusCall = (
    h: LsaSecHandle,
    call: (t: UserTable, ih: LsaSecHandle) => SecurityStatus | undefined,
  ): SecurityStatus => {
    const r = innerOf(state, h);
    if (typeof r === 'number') return r;
    if (!r.table) return SecStatus.SEC_E_UNSUPPORTED_FUNCTION;
    try {
      return call(r.table, r.handle) ?? SecStatus.SEC_E_UNSUPPORTED_FUNCTION;
    } catch {
      return SecStatus.SEC_E_INTERNAL_ERROR;
    }
  };

  return {
    instanceInit: () => SecStatus.SEC_E_OK,
    makeSignature: (h, qop, desc, seq) => statusCall(h, (t, ih) => t.makeSignature?.(ih, qop, desc, seq)),
    verifySignature: (h, desc, seq, qop) => statusCall(h, (t, ih) => t.verifySignature?.(ih, desc, seq, qop)),
    sealMessage: (h, qop, desc, seq) => statusCall(h, (t, ih) => t.sealMessage?.(ih, qop, desc, seq)),
    unsealMessage: (h, desc, seq, qop) => statusCall(h, (t, ih) => t.unsealMessage?.(ih, desc, seq, qop)),
    getContextToken(h) {
      const r = innerOf(state, h);
      if (typeof r === 'number')
        return { status: r === SecStatus.SEC_E_OUT_OF_SEQUENCE ? SecStatus.SEC_E_INVALID_HANDLE : r };
      const fn = r.table?.getContextToken;
      if (!fn) return { status: SecStatus.SEC_E_UNSUPPORTED_FUNCTION };
      try {
        return fn(r.handle);
      } catch {
        return { status: SecStatus.SEC_E_INTERNAL_ERROR };
      }
    },
    queryContextAttributes: (h, attribute) => queryContext(state, h, attribute),
    deleteUserModeContext: (h) => (state.contexts.has(h) ? SecStatus.SEC_E_OK : SecStatus.SEC_E_INVALID_HANDLE),
    failureCause(h) {
      const r = innerOf(state, h);
      if (typeof r === 'number') return undefined;
      try {
        return r.table?.failureCause?.(r.handle);
      } catch {
        return undefined;
      }
    },

    exportContext(h, flags) {
      const ctx = state.contexts.get(h);
      const r = innerOf(state, h);
      if (!ctx?.inner || typeof r === 'number')
        return { status: typeof r === 'number' ? r : SecStatus.SEC_E_INVALID_HANDLE };
      const fn = r.table?.exportContext;
      if (!fn) return { status: SecStatus.SEC_E_UNSUPPORTED_FUNCTION };
      const out = fn(r.handle, flags);
      if (out.status !== SecStatus.SEC_E_OK || !out.packedContext) return out;
      // [version][name length][package name][the package's own packed context]
      const name = new TextEncoder().encode(ctx.inner.mech.name);
      const packed = new Uint8Array(2 + name.length + out.packedContext.length);
      packed[0] = PACK_VERSION;
      packed[1] = name.length;
      packed.set(name, 2);
      packed.set(out.packedContext, 2 + name.length);
      out.packedContext.fill(0);
      return { ...out, packedContext: packed };
    },

    importContext(packed, token) {
      if (packed.length < 2 || packed[0] !== PACK_VERSION) return { status: SecStatus.SEC_E_INVALID_TOKEN };
      const len = packed[1] ?? 0;
      if (packed.length < 2 + len) return { status: SecStatus.SEC_E_INVALID_TOKEN };
      const name = new TextDecoder().decode(packed.subarray(2, 2 + len));
      const located = state.helpers?.locatePackage(name);
      const fn = located?.userFunctionTable?.importContext;
      if (!located || !fn) return { status: SecStatus.SEC_E_SECPKG_NOT_FOUND };
      const oid = declaredOid(located) ?? '';
      const r = fn(packed.slice(2 + len), token);
      if (r.status !== SecStatus.SEC_E_OK || r.contextHandle === undefined) return { status: r.status };
      const ctx = new NegotiateContext('server', undefined);
      ctx.inner = InnerContext.adopt({ name: located.info.name, oid, located }, r.contextHandle);
      ctx.selected = true;
      ctx.complete = true;
      const h = state.nextHandle();
      state.contexts.set(h, ctx);
      return { status: SecStatus.SEC_E_OK, contextHandle: h };
    },
  };
}
