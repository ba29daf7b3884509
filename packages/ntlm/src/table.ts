import {
  AscReq,
  IscReq,
  SecBufferType,
  SecPkgCred,
  SecStatus,
  decodeSecChannelBindings,
  findBuffer,
  wipe,
  writeBuffer,
} from '@sspkit/core';
import type {
  AcquireCredentialsResult,
  LsaModeContextResult,
  SecBufferDesc,
  SecpkgFunctionTable,
  SecurityStatus,
} from '@sspkit/core';
import { NtlmClient } from './client.js';
import type { NtlmStatus, StepResult } from './context.js';
import { ntHash } from './crypto/owf.js';
import type { ChannelBindings } from './crypto/channel-bindings.js';
import { NtlmServer } from './server.js';
import { because } from './failure.js';
import { contextAttributes, NTLM_INFO } from './package-state.js';
import type { CredEntry, NtlmAuthData, NtlmPackageState } from './package-state.js';

/** Maps a state-machine status name to its SECURITY_STATUS. */
const statusOf = (s: NtlmStatus): SecurityStatus => SecStatus[s];

/** Reads a SECBUFFER_CHANNEL_BINDINGS buffer; 'bad' when present but malformed. */
function bindingsFrom(input: SecBufferDesc | undefined): ChannelBindings | 'bad' | undefined {
  const b = findBuffer(input, SecBufferType.CHANNEL_BINDINGS);
  if (!b) return undefined;
  const r = decodeSecChannelBindings(b.data);
  return r.ok ? r.value : 'bad';
}

/** Writes a handshake token into the caller's output TOKEN buffer. */
function emit(output: SecBufferDesc | undefined, token: Uint8Array | undefined, allocate: boolean): SecurityStatus {
  if (!token) {
    const out = findBuffer(output, SecBufferType.TOKEN);
    if (out) return writeBuffer(out, new Uint8Array(0), allocate);
    return SecStatus.SEC_E_OK;
  }
  const out = findBuffer(output, SecBufferType.TOKEN);
  if (!out) return SecStatus.SEC_E_INVALID_TOKEN;
  return writeBuffer(out, token, allocate);
}

/** Why writing the output token failed. */
const emitFailure = (w: SecurityStatus): string =>
  w === SecStatus.SEC_E_BUFFER_TOO_SMALL
    ? 'the output TOKEN buffer is too small for the token'
    : 'no output TOKEN buffer for the token';

/** A failed handshake call with its cause. */
const failed = (status: SecurityStatus, reason: string): LsaModeContextResult => ({ status, cause: because(reason) });

/** A malformed SECBUFFER_CHANNEL_BINDINGS input buffer. */
const badBindings = (): LsaModeContextResult =>
  failed(SecStatus.SEC_E_BAD_BINDINGS, 'the SECBUFFER_CHANNEL_BINDINGS buffer is not a SEC_CHANNEL_BINDINGS structure');

/** Resolves pAuthData into a credential entry; the password is hashed at once and dropped. */
function credentialFrom(state: NtlmPackageState, use: number, authData: unknown): CredEntry | AcquireCredentialsResult {
  const a = (typeof authData === 'object' && authData !== null ? authData : {}) as NtlmAuthData;
  let identity: CredEntry['identity'];
  if ((use & SecPkgCred.OUTBOUND) !== 0) {
    const noCreds = (why: string) => failed(SecStatus.SEC_E_NO_CREDENTIALS, why);
    if (typeof a.user !== 'string') return noCreds('outbound credentials need a user name');
    if (a.password === undefined && a.ntHash === undefined)
      return noCreds('outbound credentials need a password or an NT hash');
    if (a.ntHash !== undefined && (!(a.ntHash instanceof Uint8Array) || a.ntHash.length !== 16)) {
      return failed(SecStatus.SEC_E_UNKNOWN_CREDENTIALS, 'an NT hash is 16 bytes');
    }
    let user = a.user;
    let domain = a.domain ?? '';
    const slash = user.indexOf('\\');
    if (a.domain === undefined && slash >= 0) {
      domain = user.slice(0, slash);
      user = user.slice(slash + 1);
    }
    const hash = a.ntHash ? new Uint8Array(a.ntHash) : ntHash(String(a.password));
    identity = { user, domain, ntHash: hash, workstation: a.workstation ?? '' };
  }
  let accounts;
  if ((use & SecPkgCred.INBOUND) !== 0) {
    accounts = state.accountsFor(a.accounts);
    if (typeof accounts === 'string') return failed(SecStatus.SEC_E_NO_CREDENTIALS, accounts);
  }
  return {
    use,
    ...(identity ? { identity } : {}),
    ...(accounts ? { accounts } : {}),
    ...(a.allowReflection === true ? { allowReflection: true } : {}),
  };
}

/** Builds the LSA-mode function table of one NTLM package instance. */
export function lsaTable(state: NtlmPackageState): SecpkgFunctionTable {
  const finish = (
    r: StepResult,
    side: 'client' | 'server',
    handle: number,
    flags: number,
    allocate: boolean,
    output: SecBufferDesc | undefined,
  ): LsaModeContextResult => {
    const status = statusOf(r.status);
    if (status !== SecStatus.SEC_E_OK && status !== SecStatus.SEC_I_CONTINUE_NEEDED) {
      return { status, newContextHandle: handle, cause: because(r.reason ?? 'the handshake step failed') };
    }
    const w = emit(output, r.token, allocate);
    if (w !== SecStatus.SEC_E_OK) return { status: w, newContextHandle: handle, cause: because(emitFailure(w)) };
    return { status, newContextHandle: handle, contextAttributes: contextAttributes(side, flags, allocate) };
  };

  const deleteContext = (h: number | bigint): SecurityStatus => {
    const ctx = state.contexts.get(h);
    if (!ctx) return SecStatus.SEC_E_INVALID_HANDLE;
    ctx.client?.wipe();
    ctx.server?.wipe();
    state.contexts.delete(h);
    return SecStatus.SEC_E_OK;
  };
  const freeCredentialsHandle = (h: number | bigint): SecurityStatus => {
    const e = state.creds.get(h);
    if (!e) return SecStatus.SEC_E_INVALID_HANDLE;
    wipe(e.identity?.ntHash);
    state.creds.delete(h);
    return SecStatus.SEC_E_OK;
  };

  return {
    initialize(_id, _params, helpers) {
      state.helpers = helpers;
      return SecStatus.SEC_E_OK;
    },
    // Called as a detached function by some hosts, so it must not rely on `this`.
    shutdown() {
      for (const h of [...state.contexts.keys()]) deleteContext(h);
      for (const h of [...state.creds.keys()]) freeCredentialsHandle(h);
      return SecStatus.SEC_E_OK;
    },
    getInfo: () => ({ status: SecStatus.SEC_E_OK, packageInfo: NTLM_INFO }),

    acquireCredentialsHandle(_principal, use, _logonId, authData) {
      const e = credentialFrom(state, use, authData);
      if ('status' in e) return e;
      const h = state.nextHandle();
      state.creds.set(h, e);
      return { status: SecStatus.SEC_E_OK, credentialHandle: h };
    },

    freeCredentialsHandle,

    queryCredentialsAttributes(h, attribute) {
      const e = state.creds.get(h);
      if (!e) return { status: SecStatus.SEC_E_INVALID_HANDLE };
      if (attribute !== 1 || !e.identity) return { status: SecStatus.SEC_E_UNSUPPORTED_FUNCTION };
      const { domain, user } = e.identity;
      return { status: SecStatus.SEC_E_OK, buffer: { userName: domain ? `${domain}\\${user}` : user } };
    },

    initLsaModeContext(credH, ctxH, targetName, req, _rep, input, output) {
      const allocate = (req & IscReq.ALLOCATE_MEMORY) !== 0;
      const cb = bindingsFrom(input);
      if (cb === 'bad') return badBindings();
      if (ctxH === undefined) {
        const cred = credH === undefined ? undefined : state.creds.get(credH);
        if (!cred) return failed(SecStatus.SEC_E_INVALID_HANDLE, 'unknown credential handle');
        const id = cred.identity;
        if (!id) return failed(SecStatus.SEC_E_NO_CREDENTIALS, 'the credential has no outbound identity');
        const client = new NtlmClient({
          credentials: { user: id.user, domain: id.domain, ntHash: id.ntHash, workstation: id.workstation },
          ...(targetName ? { targetName } : {}),
          ...(state.config.ntlmV1 ? { useNtlmV1: true } : {}),
          ...(state.config.allowReflection === true || cred.allowReflection === true ? { allowReflection: true } : {}),
          require: {
            integrity: (req & (IscReq.INTEGRITY | IscReq.REPLAY_DETECT | IscReq.SEQUENCE_DETECT)) !== 0,
            confidentiality: (req & IscReq.CONFIDENTIALITY) !== 0,
          },
          env: state.env,
        });
        const r = client.step(undefined, cb);
        if (r.status !== 'SEC_I_CONTINUE_NEEDED') return failed(statusOf(r.status), r.reason ?? 'the first leg failed');
        const h = state.nextHandle();
        state.contexts.set(h, { side: 'client', client, complete: false, ...(targetName ? { targetName } : {}) });
        return finish(r, 'client', h, 0, allocate, output);
      }
      const ctx = state.contexts.get(ctxH);
      if (!ctx?.client) return failed(SecStatus.SEC_E_INVALID_HANDLE, 'not a client context of this package');
      const token = findBuffer(input, SecBufferType.TOKEN);
      if (!token) return failed(SecStatus.SEC_E_INVALID_TOKEN, 'no input TOKEN buffer holding the CHALLENGE');
      const r = ctx.client.step(token.data, cb);
      if (r.status === 'SEC_E_OK') ctx.complete = true;
      return finish(r, 'client', Number(ctxH), ctx.client.session?.flags ?? 0, allocate, output);
    },

    async acceptLsaModeContext(credH, ctxH, input, req, _rep, output) {
      const allocate = (req & AscReq.ALLOCATE_MEMORY) !== 0;
      const cb = bindingsFrom(input);
      if (cb === 'bad') return badBindings();
      const token = findBuffer(input, SecBufferType.TOKEN);
      if (!token) return failed(SecStatus.SEC_E_INVALID_TOKEN, 'no input TOKEN buffer');
      // No bindings from the caller is an explicit "none", never an all-zero binding.
      const allowMissing = (req & AscReq.ALLOW_MISSING_BINDINGS) !== 0;
      const policy = cb
        ? ({ mode: 'require', bindings: cb, ...(allowMissing ? { allowMissing } : {}) } as const)
        : ({ mode: 'none' } as const);
      if (ctxH === undefined) {
        const cred = credH === undefined ? undefined : state.creds.get(credH);
        if (!cred) return failed(SecStatus.SEC_E_INVALID_HANDLE, 'unknown credential handle');
        if (!cred.accounts) {
          return failed(SecStatus.SEC_E_NO_CREDENTIALS, 'the credential is not inbound (no account store)');
        }
        const server = new NtlmServer({
          accounts: cred.accounts,
          domain: state.config.domain ?? 'WORKGROUP',
          computer: state.config.computer ?? 'SSPKIT',
          channelBindings: policy,
          ...(state.config.ntlmV1 ? { allowNtlmV1: true } : {}),
          ...(state.config.allowBlankPasswords ? { allowBlankPasswords: true } : {}),
          ...(state.config.targetNames ? { targetNames: state.config.targetNames } : {}),
          require: {
            integrity: (req & (AscReq.INTEGRITY | AscReq.REPLAY_DETECT | AscReq.SEQUENCE_DETECT)) !== 0,
            confidentiality: (req & AscReq.CONFIDENTIALITY) !== 0,
          },
          env: state.env,
        });
        const r = await server.step(token.data, policy);
        if (r.status !== 'SEC_I_CONTINUE_NEEDED') return failed(statusOf(r.status), r.reason ?? 'the first leg failed');
        const h = state.nextHandle();
        state.contexts.set(h, { side: 'server', server, complete: false });
        return finish(r, 'server', h, 0, allocate, output);
      }
      const ctx = state.contexts.get(ctxH);
      if (!ctx?.server) return failed(SecStatus.SEC_E_INVALID_HANDLE, 'not a server context of this package');
      const r = await ctx.server.step(token.data, policy);
      if (r.status === 'SEC_E_OK') ctx.complete = true;
      return finish(r, 'server', Number(ctxH), ctx.server.session?.flags ?? 0, allocate, output);
    },

    deleteContext,
  };
}
