/** Negotiate's LSA-mode function table: credentials and the handshake legs. */
import { AscReq, IscReq, IscRet, SecBufferType, SecStatus, findBuffer, isSuccess, writeBuffer } from '@sspkit/core';
import type {
  LsaModeContextResult,
  LsaSecHandle,
  SecBufferDesc,
  SecpkgFunctionTable,
  SecurityStatus,
} from '@sspkit/core';
import { clientFirst, clientNext } from './client.js';
import type { Leg } from './context.js';
import { NegotiateContext } from './context.js';
import { acquireCredential, freeCredential } from './credentials.js';
import { serverFirst, serverInit2, serverNext } from './server.js';
import type { NegotiateState } from './state.js';
import { queryContext } from './user-table.js';

/** Writes the leg's token (or an empty one) into the caller's TOKEN buffer. */
function emit(output: SecBufferDesc | undefined, token: Uint8Array | undefined, allocate: boolean): SecurityStatus {
  const out = findBuffer(output, SecBufferType.TOKEN);
  if (!out) return token === undefined ? SecStatus.SEC_E_OK : SecStatus.SEC_E_INVALID_TOKEN;
  return writeBuffer(out, token ?? new Uint8Array(0), allocate);
}

/** The leg's outcome as SpInit/SpAcceptLsaModeContext out-values. */
function finish(
  ctx: NegotiateContext,
  h: LsaSecHandle,
  leg: Leg,
  allocate: boolean,
  output: SecBufferDesc | undefined,
): LsaModeContextResult {
  if (!isSuccess(leg.status)) {
    ctx.failedState = true;
    // The reject token is best effort: the status is what the caller acts on.
    if (leg.token !== undefined) emit(output, leg.token, allocate);
    return { status: leg.status, newContextHandle: h, ...(leg.cause !== undefined && { cause: leg.cause }) };
  }
  const w = emit(output, leg.token, allocate);
  if (w !== SecStatus.SEC_E_OK)
    return { status: w, newContextHandle: h, cause: new Error('the output TOKEN buffer cannot hold the token') };
  const attrs = ((ctx.inner?.attributes ?? 0) | (allocate ? IscRet.ALLOCATED_MEMORY : 0)) >>> 0;
  const expiry = ctx.inner?.expiry;
  return {
    status: leg.status,
    newContextHandle: h,
    contextAttributes: attrs,
    ...(expiry !== undefined && { expirationTime: expiry }),
  };
}

/** Builds the LSA table of one Negotiate instance. */
export function lsaTable(state: NegotiateState): SecpkgFunctionTable {
  const deleteContext = (h: LsaSecHandle): SecurityStatus => {
    const ctx = state.contexts.get(h);
    if (!ctx) return SecStatus.SEC_E_INVALID_HANDLE;
    state.contexts.delete(h);
    ctx.dispose();
    return SecStatus.SEC_E_OK;
  };

  /** Runs a first leg; a failed one leaves no context behind (nothing for the caller to delete). */
  const first = (
    ctx: NegotiateContext,
    leg: Leg,
    allocate: boolean,
    output: SecBufferDesc | undefined,
  ): LsaModeContextResult => {
    const h = state.nextHandle();
    state.contexts.set(h, ctx);
    const r = finish(ctx, h, leg, allocate, output);
    if (!isSuccess(r.status)) {
      deleteContext(h);
      const { newContextHandle: _dropped, ...rest } = r;
      return rest;
    }
    return r;
  };

  const existing = (h: LsaSecHandle, side: 'client' | 'server'): NegotiateContext | LsaModeContextResult => {
    const ctx = state.contexts.get(h);
    if (!ctx || ctx.side !== side)
      return { status: SecStatus.SEC_E_INVALID_HANDLE, cause: new Error(`no ${side} context under this handle`) };
    if (ctx.complete)
      return { status: SecStatus.SEC_E_OUT_OF_SEQUENCE, cause: new Error('the negotiation is already complete') };
    if (ctx.failedState)
      return { status: SecStatus.SEC_E_OUT_OF_SEQUENCE, cause: new Error('the negotiation already failed') };
    return ctx;
  };

  return {
    initialize(_id, _params, helpers) {
      state.helpers = helpers;
      return SecStatus.SEC_E_OK;
    },
    shutdown() {
      for (const h of [...state.contexts.keys()]) deleteContext(h);
      for (const h of [...state.creds.keys()]) freeCredential(state, h);
      return SecStatus.SEC_E_OK;
    },
    getInfo: () => ({ status: SecStatus.SEC_E_OK, packageInfo: state.info }),
    acquireCredentialsHandle: (principal, use, logonId, authData) =>
      acquireCredential(state, principal, use, logonId, authData),
    freeCredentialsHandle: (h) => freeCredential(state, h),
    queryCredentialsAttributes(h, attribute) {
      const cred = state.creds.get(h);
      if (!cred) return { status: SecStatus.SEC_E_INVALID_HANDLE };
      // SECPKG_CRED_ATTR_NAMES: the first package's view of who this credential is.
      const e = cred.entries[0];
      const fn = e?.mech.located.functionTable.queryCredentialsAttributes;
      if (!e || !fn) return { status: SecStatus.SEC_E_UNSUPPORTED_FUNCTION };
      return fn(e.handle, attribute);
    },

    async initLsaModeContext(credH, ctxH, targetName, req, _rep, input, output) {
      const allocate = (req & IscReq.ALLOCATE_MEMORY) !== 0;
      const bindings = findBuffer(input, SecBufferType.CHANNEL_BINDINGS);
      const token = findBuffer(input, SecBufferType.TOKEN)?.data;
      if (ctxH === undefined) {
        const cred = credH === undefined ? undefined : state.creds.get(credH);
        if (!cred)
          return {
            status: SecStatus.SEC_E_INVALID_HANDLE,
            cause: new Error('no Negotiate credential under this handle'),
          };
        const ctx = new NegotiateContext('client', cred);
        ctx.targetName = targetName;
        ctx.req = (req & ~IscReq.ALLOCATE_MEMORY) >>> 0;
        return first(ctx, await clientFirst(ctx, token, bindings), allocate, output);
      }
      const ctx = existing(ctxH, 'client');
      if (!(ctx instanceof NegotiateContext)) return ctx;
      if (token === undefined || token.length === 0)
        return { status: SecStatus.SEC_E_INVALID_TOKEN, cause: new Error('no input token') };
      return finish(ctx, ctxH, await clientNext(ctx, token, bindings), allocate, output);
    },

    async acceptLsaModeContext(credH, ctxH, input, req, _rep, output) {
      const allocate = (req & AscReq.ALLOCATE_MEMORY) !== 0;
      const bindings = findBuffer(input, SecBufferType.CHANNEL_BINDINGS);
      const token = findBuffer(input, SecBufferType.TOKEN)?.data;
      if (ctxH === undefined) {
        const cred = credH === undefined ? undefined : state.creds.get(credH);
        if (!cred)
          return {
            status: SecStatus.SEC_E_INVALID_HANDLE,
            cause: new Error('no Negotiate credential under this handle'),
          };
        const ctx = new NegotiateContext('server', cred);
        ctx.req = (req & ~AscReq.ALLOCATE_MEMORY) >>> 0;
        if (token === undefined || token.length === 0) {
          if (!state.config.serverInitiated)
            return { status: SecStatus.SEC_E_INVALID_TOKEN, cause: new Error('no input token') };
          return first(ctx, serverInit2(ctx), allocate, output);
        }
        return first(ctx, await serverFirst(ctx, token, bindings), allocate, output);
      }
      const ctx = existing(ctxH, 'server');
      if (!(ctx instanceof NegotiateContext)) return ctx;
      if (token === undefined || token.length === 0)
        return { status: SecStatus.SEC_E_INVALID_TOKEN, cause: new Error('no input token') };
      // After our NegTokenInit2 the initiator's NegTokenInit is a first leg in all but the handle.
      const leg =
        ctx.inner === undefined && !ctx.selected
          ? await serverFirst(ctx, token, bindings)
          : await serverNext(ctx, token, bindings);
      return finish(ctx, ctxH, leg, allocate, output);
    },

    deleteContext,
    queryContextAttributes: (h, attribute) => queryContext(state, h, attribute),
  };
}
