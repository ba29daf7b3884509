/**
 * The SSPI dispatcher: every function of SecurityFunctionTableW (sspi.h) as a method, routed
 * to the owning package's LSA or user table as secur32 does (Microsoft Learn, "LSA Mode Initialization").
 *
 * Faithful API: every method returns a SECURITY_STATUS (alone, or next to its out-values) and never
 * throws, whatever a caller passes — a package that throws or returns garbage yields
 * SEC_E_INTERNAL_ERROR (reported to `onPackageFault`), a malformed argument SEC_E_INVALID_PARAMETER
 * or SEC_E_INVALID_TOKEN. Calls that may wait on the network (AcquireCredentialsHandle,
 * AddCredentials, Initialize/AcceptSecurityContext, CompleteAuthToken, ApplyControlToken,
 * ChangeAccountPassword) return promises; per-message, query, export/import and free/delete calls are
 * synchronous. One class for one function table: the methods are short, the file is not.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SecBuffer, SecBufferDesc } from './buffers.js';
import { isValidBufferDesc } from './buffers.js';
import { wipe } from './bytes.js';
import type {
  AcceptParams,
  AcquireCredentialsParams,
  AddCredentialsParams,
  ChangePasswordParams,
  DispatcherOptions,
  HandshakeResult,
  InitializeParams,
  PackageFaultListener,
} from './dispatcher-types.js';
import { ContextExport, SecPkgFlag } from './flags.js';
import type { ContextEntry, ContextSide, HandleEntry } from './handles.js';
import { CredHandle, CtxtHandle, liveCredEntry, liveCtxtEntry } from './handles.js';
import type { RegisteredPackage, Registry } from './registry.js';
import { SecStatus, isSuccess } from './status.js';
import type { LsaModeContextResult } from './tables.js';
import type {
  AccessToken,
  ContextAttributeValue,
  CredentialAttributeValue,
  LsaSecHandle,
  Out,
  SecPkgInfo,
  TimeStamp,
} from './types.js';

const S = SecStatus;
const MALFORMED = Symbol('malformed');

/** The status a slot returned, or MALFORMED when it is not one. */
function statusOf(value: unknown): number | typeof MALFORMED {
  return typeof value === 'number' && Number.isInteger(value) && value >= -0x80000000 && value <= 0xffffffff
    ? value >>> 0
    : MALFORMED;
}

/** A refused handshake call's result. */
function fail(status: number, attrs = 0): HandshakeResult {
  return { status, contextAttributes: attrs };
}

function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function isU32(value: unknown): value is number {
  return isInt(value) && value >= 0 && value <= 0xffffffff;
}

/** The SSPI layer over a {@link Registry}: what secur32.dll is to Windows applications. */
export class SspiDispatcher {
  readonly #registry: Registry;
  readonly #owner = {};
  readonly #onFault: PackageFaultListener | undefined;
  readonly #impersonation = new AsyncLocalStorage<{ context: CtxtHandle; token: AccessToken } | undefined>();
  #liveHandles = 0;

  constructor(registry: Registry, options: DispatcherOptions = {}) {
    this.#registry = registry;
    this.#onFault = options.onPackageFault;
  }

  /** The registry this dispatcher routes to. */
  get registry(): Registry {
    return this.#registry;
  }

  /** Credential and context handles currently live (a leak check for tests). */
  get liveHandleCount(): number {
    return this.#liveHandles;
  }

  #fault(pkg: RegisteredPackage, operation: string, error: unknown): number {
    try {
      this.#onFault?.({ package: pkg.name, operation, error });
    } catch {
      // A listener must not turn a status into a throw.
    }
    return S.SEC_E_INTERNAL_ERROR;
  }

  /** A slot's status; SEC_E_INTERNAL_ERROR, reported as a fault, when it returned anything else. */
  #status(pkg: RegisteredPackage, operation: string, value: unknown): number {
    const st = statusOf(value);
    return st === MALFORMED
      ? this.#fault(pkg, operation, new TypeError(`${operation} returned a value that is not a status`))
      : st;
  }

  /** Runs a synchronous slot: a throw or a malformed status becomes SEC_E_INTERNAL_ERROR. */
  #call(pkg: RegisteredPackage, operation: string, fn: () => unknown): number {
    let value: unknown;
    try {
      value = fn();
    } catch (e) {
      return this.#fault(pkg, operation, e);
    }
    return this.#status(pkg, operation, value);
  }

  #issue(pkg: RegisteredPackage, lsaHandle: LsaSecHandle): HandleEntry {
    this.#liveHandles++;
    return { owner: this.#owner, pkg, lsaHandle, live: true };
  }

  #retire(entry: HandleEntry): void {
    if (!entry.live) return;
    entry.live = false;
    this.#liveHandles--;
  }

  #ctx(context: unknown): ContextEntry | undefined {
    return liveCtxtEntry(this.#owner, context);
  }

  /** EnumerateSecurityPackagesW. */
  enumerateSecurityPackages(): { status: number; packages: SecPkgInfo[] } {
    return { status: S.SEC_E_OK, packages: this.#registry.list().map((p) => p.info) };
  }

  /** QuerySecurityPackageInfoW: SEC_E_SECPKG_NOT_FOUND for an unknown name. */
  querySecurityPackageInfo(packageName: string): { status: number; packageInfo?: SecPkgInfo } {
    const pkg = this.#registry.get(packageName);
    return pkg ? { status: S.SEC_E_OK, packageInfo: pkg.info } : { status: S.SEC_E_SECPKG_NOT_FOUND };
  }

  /** AcquireCredentialsHandleW → SpAcquireCredentialsHandle (LSA #12). */
  async acquireCredentialsHandle(
    params: AcquireCredentialsParams,
  ): Promise<{ status: number; credential?: CredHandle; expiry?: TimeStamp; cause?: unknown }> {
    let pkg: RegisteredPackage | undefined;
    let args: Parameters<NonNullable<RegisteredPackage['lsa']['acquireCredentialsHandle']>>;
    try {
      pkg = this.#registry.get(params.package);
      if (!pkg) return { status: S.SEC_E_SECPKG_NOT_FOUND };
      if (!isInt(params.credentialUse)) return { status: S.SEC_E_INVALID_PARAMETER };
      args = [
        params.principal,
        params.credentialUse >>> 0,
        params.logonId,
        params.authData,
        params.getKeyFn,
        params.getKeyArgument,
      ];
    } catch {
      return { status: S.SEC_E_INVALID_PARAMETER };
    }
    const fn = pkg.lsa.acquireCredentialsHandle;
    if (!fn) return { status: S.SEC_E_UNSUPPORTED_FUNCTION };
    let r;
    try {
      r = await fn(...args);
    } catch (e) {
      return { status: this.#fault(pkg, 'AcquireCredentialsHandle', e) };
    }
    const status = this.#status(pkg, 'AcquireCredentialsHandle', r?.status);
    if (!isSuccess(status)) return r.cause === undefined ? { status } : { status, cause: r.cause };
    if (r.credentialHandle === undefined)
      return { status: this.#fault(pkg, 'AcquireCredentialsHandle', new Error('no credential handle returned')) };
    const credential = new CredHandle(this.#issue(pkg, r.credentialHandle));
    return r.expirationTime === undefined ? { status, credential } : { status, credential, expiry: r.expirationTime };
  }

  /** AddCredentialsW → SpAddCredentials (LSA #25) of the credential's package. */
  async addCredentials(
    credential: CredHandle,
    params: AddCredentialsParams,
  ): Promise<{ status: number; expiry?: TimeStamp }> {
    const e = liveCredEntry(this.#owner, credential);
    if (!e) return { status: S.SEC_E_INVALID_HANDLE };
    let args: Parameters<NonNullable<RegisteredPackage['lsa']['addCredentials']>>;
    try {
      if (typeof params.package !== 'string' || !this.#registry.get(params.package))
        return { status: S.SEC_E_SECPKG_NOT_FOUND };
      if (!isInt(params.credentialUse)) return { status: S.SEC_E_INVALID_PARAMETER };
      args = [
        e.lsaHandle,
        params.principal,
        params.package,
        params.credentialUse >>> 0,
        params.authData,
        params.getKeyFn,
        params.getKeyArgument,
      ];
    } catch {
      return { status: S.SEC_E_INVALID_PARAMETER };
    }
    const fn = e.pkg.lsa.addCredentials;
    if (!fn) return { status: S.SEC_E_UNSUPPORTED_FUNCTION };
    let r;
    try {
      r = await fn(...args);
    } catch (err) {
      return { status: this.#fault(e.pkg, 'AddCredentials', err) };
    }
    if (!e.live) return { status: S.SEC_E_INVALID_HANDLE }; // freed while the call was in flight
    const status = this.#status(e.pkg, 'AddCredentials', r?.status);
    return r.expirationTime === undefined || !isSuccess(status) ? { status } : { status, expiry: r.expirationTime };
  }

  /** QueryCredentialsAttributesW → LSA #13. */
  queryCredentialsAttributes<A extends number>(
    credential: CredHandle,
    attribute: A,
  ): { status: number; buffer?: CredentialAttributeValue<A> } {
    const e = liveCredEntry(this.#owner, credential);
    if (!e) return { status: S.SEC_E_INVALID_HANDLE };
    if (!isInt(attribute)) return { status: S.SEC_E_INVALID_PARAMETER };
    const fn = e.pkg.lsa.queryCredentialsAttributes;
    if (!fn) return { status: S.SEC_E_UNSUPPORTED_FUNCTION };
    let r;
    try {
      r = fn(e.lsaHandle, attribute);
    } catch (err) {
      return { status: this.#fault(e.pkg, 'QueryCredentialsAttributes', err) };
    }
    const status = this.#status(e.pkg, 'QueryCredentialsAttributes', r?.status);
    return isSuccess(status) ? { status, buffer: r.buffer as CredentialAttributeValue<A> } : { status };
  }

  /** SetCredentialsAttributesW → LSA #28 (table VERSION_3). */
  setCredentialsAttributes(credential: CredHandle, attribute: number, buffer: unknown): number {
    const e = liveCredEntry(this.#owner, credential);
    if (!e) return S.SEC_E_INVALID_HANDLE;
    if (!isInt(attribute)) return S.SEC_E_INVALID_PARAMETER;
    const fn = e.pkg.lsa.setCredentialsAttributes;
    if (!fn) return S.SEC_E_UNSUPPORTED_FUNCTION;
    return this.#call(e.pkg, 'SetCredentialsAttributes', () => fn(e.lsaHandle, attribute, buffer));
  }

  /**
   * FreeCredentialsHandle → LSA #14. The handle is retired before the package runs, so it can never
   * reach the package again; a package without the slot answers SEC_E_INVALID_HANDLE (as secur32).
   */
  freeCredentialsHandle(credential: CredHandle): number {
    const e = liveCredEntry(this.#owner, credential);
    if (!e) return S.SEC_E_INVALID_HANDLE;
    this.#retire(e);
    const fn = e.pkg.lsa.freeCredentialsHandle;
    if (!fn) return S.SEC_E_INVALID_HANDLE;
    return this.#call(e.pkg, 'FreeCredentialsHandle', () => fn(e.lsaHandle));
  }

  /** InitializeSecurityContextW → SpInitLsaModeContext (LSA #18), then InitUserModeContext when mapped. */
  initializeSecurityContext(params: InitializeParams): Promise<HandshakeResult> {
    return this.#handshake('client', params);
  }

  /** AcceptSecurityContext → SpAcceptLsaModeContext (LSA #19), then InitUserModeContext when mapped. */
  acceptSecurityContext(params: AcceptParams): Promise<HandshakeResult> {
    return this.#handshake('server', params);
  }

  /**
   * Both handshake calls in one async frame, with no per-call closures: a cached-ticket handshake
   * makes three of these calls, and each extra promise layer or closure is paid on every leg. Any
   * throw outside the package call (a params getter, a malformed descriptor) is SEC_E_INVALID_PARAMETER.
   */
  async #handshake(side: ContextSide, params: InitializeParams | AcceptParams): Promise<HandshakeResult> {
    try {
      let targetName: string | undefined;
      let credential: CredHandle | undefined;
      let context: CtxtHandle | undefined;
      let contextReq: unknown;
      let targetDataRep: unknown;
      let input: SecBufferDesc | undefined;
      let output: SecBufferDesc | undefined;
      if (side === 'client') {
        ({ credential, context, targetName, contextReq, targetDataRep, input, output } = params as InitializeParams);
      } else {
        ({ credential, context, contextReq, targetDataRep, input, output } = params);
      }
      const operation = side === 'client' ? 'InitializeSecurityContext' : 'AcceptSecurityContext';
      const cred = credential === undefined ? undefined : liveCredEntry(this.#owner, credential);
      const ctx = context === undefined ? undefined : this.#ctx(context);
      if (credential !== undefined && !cred) return fail(S.SEC_E_INVALID_HANDLE);
      if (context !== undefined && (!ctx || ctx.side !== side)) return fail(S.SEC_E_INVALID_HANDLE);
      if (!cred && !ctx) return fail(S.SEC_E_INVALID_HANDLE);
      if (cred && ctx && cred.pkg !== ctx.pkg) return fail(S.SEC_E_INVALID_HANDLE);
      if (!isInt(contextReq) || (targetDataRep !== undefined && !isInt(targetDataRep)))
        return fail(S.SEC_E_INVALID_PARAMETER);
      if ((input !== undefined && !isValidBufferDesc(input)) || (output !== undefined && !isValidBufferDesc(output)))
        return fail(S.SEC_E_INVALID_TOKEN);
      const pkg = (ctx ?? cred)!.pkg;
      const init = side === 'client' ? pkg.lsa.initLsaModeContext : undefined;
      const accept = side === 'server' ? pkg.lsa.acceptLsaModeContext : undefined;
      if (!init && !accept) return fail(S.SEC_E_UNSUPPORTED_FUNCTION);

      let r: LsaModeContextResult;
      try {
        const credLsa = cred?.lsaHandle;
        const ctxLsa = ctx?.lsaHandle;
        const rep = targetDataRep ?? 0;
        r = init
          ? await init(credLsa, ctxLsa, targetName, contextReq >>> 0, rep, input, output)
          : await accept!(credLsa, ctxLsa, input, contextReq >>> 0, rep, output);
      } catch (e) {
        return fail(this.#fault(pkg, operation, e)); // thrown errors go to onPackageFault only
      }
      if (typeof r !== 'object' || r === null)
        return fail(this.#fault(pkg, operation, new TypeError(`${operation} returned no result object`)));
      const status = this.#status(pkg, operation, r.status);
      const attrs = isInt(r.contextAttributes) ? r.contextAttributes >>> 0 : 0;
      const newHandle = r.newContextHandle;
      const packed = r.contextData;

      if (ctx && !ctx.live) {
        // Deleted while this leg was in flight: the package's replacement handle must not leak.
        if (newHandle !== undefined && newHandle !== ctx.lsaHandle) this.#deleteInPackage(pkg, newHandle);
        wipe(packed);
        return fail(S.SEC_E_INVALID_HANDLE);
      }
      if (!isSuccess(status)) {
        // A failed first leg leaves no context (its handle is deleted); a failed later leg leaves the
        // context for the caller to delete, under the handle the package now uses.
        if (!ctx && newHandle !== undefined) this.#deleteInPackage(pkg, newHandle);
        if (ctx && newHandle !== undefined) ctx.lsaHandle = newHandle;
        wipe(packed);
        return r.cause === undefined ? fail(status, attrs) : { ...fail(status, attrs), cause: r.cause };
      }

      let entry: ContextEntry;
      if (ctx) {
        if (newHandle !== undefined) ctx.lsaHandle = newHandle;
        entry = ctx;
      } else {
        if (newHandle === undefined) {
          wipe(packed);
          return fail(this.#fault(pkg, operation, new Error('no context handle returned')));
        }
        this.#liveHandles++;
        entry = { owner: this.#owner, pkg, lsaHandle: newHandle, live: true, side, mapped: false };
      }
      const handle = context ?? new CtxtHandle(entry);

      if (r.mappedContext) {
        const init = pkg.user?.initUserModeContext;
        const st =
          packed !== undefined && !(packed instanceof Uint8Array)
            ? this.#fault(pkg, operation, new TypeError('ContextData is not a byte array'))
            : init
              ? this.#call(pkg, 'InitUserModeContext', () => init(entry.lsaHandle, packed ?? new Uint8Array(0)))
              : S.SEC_E_OK; // no user-mode half to hand it to: the package serves both from one process
        wipe(packed);
        if (!isSuccess(st)) {
          this.#retire(entry);
          this.#deleteInPackage(pkg, entry.lsaHandle);
          return fail(st, attrs);
        }
        entry.mapped = true;
      } else {
        wipe(packed);
      }
      const out: HandshakeResult = { status, context: handle, contextAttributes: attrs };
      if (r.expirationTime !== undefined) out.expiry = r.expirationTime;
      return out;
    } catch {
      return fail(S.SEC_E_INVALID_PARAMETER);
    }
  }

  #deleteInPackage(pkg: RegisteredPackage, lsaHandle: LsaSecHandle): number {
    const user = pkg.user?.deleteUserModeContext;
    const lsa = pkg.lsa.deleteContext;
    const userStatus = user ? this.#call(pkg, 'DeleteUserModeContext', () => user(lsaHandle)) : S.SEC_E_OK;
    if (!lsa) return user ? userStatus : S.SEC_E_INVALID_HANDLE;
    const lsaStatus = this.#call(pkg, 'DeleteContext', () => lsa(lsaHandle));
    return isSuccess(lsaStatus) ? userStatus : lsaStatus;
  }

  /** CompleteAuthToken → the user table's SpCompleteAuthToken (#8). */
  async completeAuthToken(context: CtxtHandle, token: SecBufferDesc): Promise<number> {
    const e = this.#ctx(context);
    if (!e) return S.SEC_E_INVALID_HANDLE;
    if (!isValidBufferDesc(token)) return S.SEC_E_INVALID_TOKEN;
    const fn = e.pkg.user?.completeAuthToken;
    if (!fn) return S.SEC_E_UNSUPPORTED_FUNCTION;
    let value: unknown;
    try {
      value = await fn(e.lsaHandle, token);
    } catch (err) {
      return this.#fault(e.pkg, 'CompleteAuthToken', err);
    }
    return e.live ? this.#status(e.pkg, 'CompleteAuthToken', value) : S.SEC_E_INVALID_HANDLE;
  }

  /** ApplyControlToken → LSA #21. */
  async applyControlToken(context: CtxtHandle, input: SecBufferDesc): Promise<number> {
    const e = this.#ctx(context);
    if (!e) return S.SEC_E_INVALID_HANDLE;
    if (!isValidBufferDesc(input)) return S.SEC_E_INVALID_TOKEN;
    const fn = e.pkg.lsa.applyControlToken;
    if (!fn) return S.SEC_E_UNSUPPORTED_FUNCTION;
    let value: unknown;
    try {
      value = await fn(e.lsaHandle, input);
    } catch (err) {
      return this.#fault(e.pkg, 'ApplyControlToken', err);
    }
    return e.live ? this.#status(e.pkg, 'ApplyControlToken', value) : S.SEC_E_INVALID_HANDLE;
  }

  /**
   * DeleteSecurityContext → user #9 (DeleteUserModeContext) then LSA #20 (DeleteContext). The handle
   * is retired first; a package with neither slot answers SEC_E_INVALID_HANDLE (as secur32).
   */
  deleteSecurityContext(context: CtxtHandle): number {
    const e = this.#ctx(context);
    if (!e) return S.SEC_E_INVALID_HANDLE;
    this.#retire(e);
    return this.#deleteInPackage(e.pkg, e.lsaHandle);
  }

  /**
   * QueryContextAttributesW → the user table's #7 once the context is mapped to user mode (reference
   * §3: user-mode calls follow InitUserModeContext), the LSA's #24 before; either, when only one exists.
   */
  queryContextAttributes<A extends number>(
    context: CtxtHandle,
    attribute: A,
  ): { status: number; buffer?: ContextAttributeValue<A> } {
    const e = this.#ctx(context);
    if (!e) return { status: S.SEC_E_INVALID_HANDLE };
    if (!isInt(attribute)) return { status: S.SEC_E_INVALID_PARAMETER };
    const user = e.pkg.user?.queryContextAttributes;
    const lsa = e.pkg.lsa.queryContextAttributes;
    const fn = e.mapped ? (user ?? lsa) : (lsa ?? user);
    if (!fn) return { status: S.SEC_E_UNSUPPORTED_FUNCTION };
    let r;
    try {
      r = fn(e.lsaHandle, attribute);
    } catch (err) {
      return { status: this.#fault(e.pkg, 'QueryContextAttributes', err) };
    }
    const status = this.#status(e.pkg, 'QueryContextAttributes', r?.status);
    return isSuccess(status) ? { status, buffer: r.buffer as ContextAttributeValue<A> } : { status };
  }

  /** SetContextAttributesW → LSA #27 (table VERSION_2). */
  setContextAttributes(context: CtxtHandle, attribute: number, buffer: unknown): number {
    const e = this.#ctx(context);
    if (!e) return S.SEC_E_INVALID_HANDLE;
    if (!isInt(attribute)) return S.SEC_E_INVALID_PARAMETER;
    const fn = e.pkg.lsa.setContextAttributes;
    if (!fn) return S.SEC_E_UNSUPPORTED_FUNCTION;
    return this.#call(e.pkg, 'SetContextAttributes', () => fn(e.lsaHandle, attribute, buffer));
  }

  /** QuerySecurityContextToken → the user table's SpGetContextToken (#6). */
  querySecurityContextToken(context: CtxtHandle): { status: number; token?: AccessToken } {
    const e = this.#ctx(context);
    if (!e) return { status: S.SEC_E_INVALID_HANDLE };
    const fn = e.pkg.user?.getContextToken;
    if (!fn) return { status: S.SEC_E_UNSUPPORTED_FUNCTION };
    let r;
    try {
      r = fn(e.lsaHandle);
    } catch (err) {
      return { status: this.#fault(e.pkg, 'QuerySecurityContextToken', err) };
    }
    const status = this.#status(e.pkg, 'QuerySecurityContextToken', r?.status);
    if (!isSuccess(status)) return { status };
    if (!r.token) return { status: this.#fault(e.pkg, 'QuerySecurityContextToken', new Error('no token returned')) };
    return { status, token: r.token };
  }

  /** The client's token, when this server context may be impersonated (Microsoft Learn, QuerySecurityContextToken). */
  #impersonable(context: CtxtHandle): { status: number; token?: AccessToken } {
    const e = this.#ctx(context);
    if (!e) return { status: S.SEC_E_INVALID_HANDLE };
    if (e.side !== 'server' || (e.pkg.info.capabilities & SecPkgFlag.IMPERSONATION) === 0)
      return { status: S.SEC_E_NO_IMPERSONATION };
    const r = this.querySecurityContextToken(context);
    return r.status === S.SEC_E_UNSUPPORTED_FUNCTION ? { status: S.SEC_E_NO_IMPERSONATION } : r;
  }

  /**
   * ImpersonateSecurityContext → SpGetContextToken. Node has no thread tokens: the client's token
   * becomes the identity of the current asynchronous context (see {@link impersonationToken}) until
   * RevertSecurityContext, as a thread's does on Windows; it never outlives the security context.
   * Only server contexts of packages declaring SECPKG_FLAG_IMPERSONATION can be impersonated.
   * Prefer {@link runImpersonated}, which scopes the identity to one callback.
   */
  impersonateSecurityContext(context: CtxtHandle): number {
    const r = this.#impersonable(context);
    if (!isSuccess(r.status)) return r.status;
    this.#impersonation.enterWith({ context, token: r.token! });
    return S.SEC_E_OK;
  }

  /** RevertSecurityContext: ends the impersonation started on this context. */
  revertSecurityContext(context: CtxtHandle): number {
    const current = this.#impersonation.getStore();
    if (current && current.context === context) this.#impersonation.enterWith(undefined);
    return this.#ctx(context) ? S.SEC_E_OK : S.SEC_E_INVALID_HANDLE;
  }

  /**
   * Runs `fn` impersonating the client of a server context: `impersonationToken()` returns its token
   * inside `fn` (and in what `fn` starts), and nowhere else. Returns the refusal status instead of
   * calling `fn` when the context cannot be impersonated.
   */
  runImpersonated<T>(context: CtxtHandle, fn: () => T): { status: number; result?: T } {
    const r = this.#impersonable(context);
    if (!isSuccess(r.status)) return { status: r.status };
    return { status: S.SEC_E_OK, result: this.#impersonation.run({ context, token: r.token! }, fn) };
  }

  /** The token of the context being impersonated in the current async flow, while that context lives. */
  impersonationToken(): AccessToken | undefined {
    const current = this.#impersonation.getStore();
    return current && current.context.isValid ? current.token : undefined;
  }

  /** MakeSignature → user #2. The signature is written into the caller's TOKEN buffer. */
  makeSignature(context: CtxtHandle, qop: number, message: SecBufferDesc, messageSeqNo: number): number {
    const e = this.#ctx(context);
    if (e === undefined) return S.SEC_E_INVALID_HANDLE;
    const fn = e.pkg.user?.makeSignature;
    if (fn === undefined) return S.SEC_E_UNSUPPORTED_FUNCTION;
    if (!isU32(qop) || !isU32(messageSeqNo)) return S.SEC_E_INVALID_PARAMETER;
    if (!isValidBufferDesc(message)) return S.SEC_E_INVALID_TOKEN;
    return this.#call(e.pkg, 'MakeSignature', () => fn(e.lsaHandle, qop, message, messageSeqNo));
  }

  /**
   * sspkit extension (no SecurityFunctionTableW entry): what the package says caused the last
   * failed per-message call on `context`, or undefined (unknown handle, no such slot, a throwing
   * slot). The convenience layer uses it as its SspiError's `cause`.
   */
  failureCause(context: CtxtHandle): unknown {
    const e = this.#ctx(context);
    const fn = e?.pkg.user?.failureCause;
    if (e === undefined || fn === undefined) return undefined;
    try {
      return fn(e.lsaHandle);
    } catch {
      return undefined;
    }
  }

  /** VerifySignature → user #3. `qop` receives pfQOP when given. */
  verifySignature(context: CtxtHandle, message: SecBufferDesc, messageSeqNo: number, qop?: Out<number>): number {
    const e = this.#ctx(context);
    if (e === undefined) return S.SEC_E_INVALID_HANDLE;
    const fn = e.pkg.user?.verifySignature;
    if (fn === undefined) return S.SEC_E_UNSUPPORTED_FUNCTION;
    if (!isU32(messageSeqNo) || (qop !== undefined && (typeof qop !== 'object' || qop === null)))
      return S.SEC_E_INVALID_PARAMETER;
    if (!isValidBufferDesc(message)) return S.SEC_E_INVALID_TOKEN;
    return this.#call(e.pkg, 'VerifySignature', () => fn(e.lsaHandle, message, messageSeqNo, qop));
  }

  /** EncryptMessage → user #4 (SpSealMessage). DATA buffers are encrypted in place. */
  encryptMessage(context: CtxtHandle, qop: number, message: SecBufferDesc, messageSeqNo: number): number {
    const e = this.#ctx(context);
    if (e === undefined) return S.SEC_E_INVALID_HANDLE;
    const fn = e.pkg.user?.sealMessage;
    if (fn === undefined) return S.SEC_E_UNSUPPORTED_FUNCTION;
    if (!isU32(qop) || !isU32(messageSeqNo)) return S.SEC_E_INVALID_PARAMETER;
    if (!isValidBufferDesc(message)) return S.SEC_E_INVALID_TOKEN;
    return this.#call(e.pkg, 'EncryptMessage', () => fn(e.lsaHandle, qop, message, messageSeqNo));
  }

  /** DecryptMessage → user #5 (SpUnsealMessage). `qop` receives pfQOP when given. */
  decryptMessage(context: CtxtHandle, message: SecBufferDesc, messageSeqNo: number, qop?: Out<number>): number {
    const e = this.#ctx(context);
    if (e === undefined) return S.SEC_E_INVALID_HANDLE;
    const fn = e.pkg.user?.unsealMessage;
    if (fn === undefined) return S.SEC_E_UNSUPPORTED_FUNCTION;
    if (!isU32(messageSeqNo) || (qop !== undefined && (typeof qop !== 'object' || qop === null)))
      return S.SEC_E_INVALID_PARAMETER;
    if (!isValidBufferDesc(message)) return S.SEC_E_INVALID_TOKEN;
    return this.#call(e.pkg, 'DecryptMessage', () => fn(e.lsaHandle, message, messageSeqNo, qop));
  }

  /** ExportSecurityContext → user #12. With SECPKG_CONTEXT_EXPORT_DELETE_OLD the handle is retired. */
  exportSecurityContext(
    context: CtxtHandle,
    flags: number,
  ): { status: number; packedContext?: Uint8Array; token?: AccessToken } {
    const e = this.#ctx(context);
    if (!e) return { status: S.SEC_E_INVALID_HANDLE };
    if (!isInt(flags)) return { status: S.SEC_E_INVALID_PARAMETER };
    const fn = e.pkg.user?.exportContext;
    if (!fn) return { status: S.SEC_E_UNSUPPORTED_FUNCTION };
    let r;
    try {
      r = fn(e.lsaHandle, flags >>> 0);
    } catch (err) {
      return { status: this.#fault(e.pkg, 'ExportSecurityContext', err) };
    }
    const status = this.#status(e.pkg, 'ExportSecurityContext', r?.status);
    if (!isSuccess(status)) return { status };
    if (!(r.packedContext instanceof Uint8Array))
      return { status: this.#fault(e.pkg, 'ExportSecurityContext', new Error('no packed context returned')) };
    if ((flags & ContextExport.DELETE_OLD) !== 0) this.#retire(e);
    return r.token
      ? { status, packedContext: r.packedContext, token: r.token }
      : { status, packedContext: r.packedContext };
  }

  /**
   * ImportSecurityContextW → user #13 of the named package. SSPI does not say which side the packed
   * context was; `side` (default server) says which handshake call may continue it.
   */
  importSecurityContext(
    packageName: string,
    packedContext: Uint8Array,
    token?: AccessToken,
    side: ContextSide = 'server',
  ): { status: number; context?: CtxtHandle } {
    const pkg = this.#registry.get(packageName);
    if (!pkg) return { status: S.SEC_E_SECPKG_NOT_FOUND };
    if (!(packedContext instanceof Uint8Array)) return { status: S.SEC_E_INVALID_TOKEN };
    if (side !== 'client' && side !== 'server') return { status: S.SEC_E_INVALID_PARAMETER };
    const fn = pkg.user?.importContext;
    if (!fn) return { status: S.SEC_E_UNSUPPORTED_FUNCTION };
    let r;
    try {
      r = fn(packedContext, token);
    } catch (err) {
      return { status: this.#fault(pkg, 'ImportSecurityContext', err) };
    }
    const status = this.#status(pkg, 'ImportSecurityContext', r?.status);
    if (!isSuccess(status)) return { status };
    if (r.contextHandle === undefined)
      return { status: this.#fault(pkg, 'ImportSecurityContext', new Error('no context handle returned')) };
    return { status, context: new CtxtHandle({ ...this.#issue(pkg, r.contextHandle), side, mapped: true }) };
  }

  /** ChangeAccountPasswordW → LSA #29 (table VERSION_4). */
  async changeAccountPassword(params: ChangePasswordParams): Promise<number> {
    let pkg: RegisteredPackage | undefined;
    let args: Parameters<NonNullable<RegisteredPackage['lsa']['changeAccountPassword']>>;
    try {
      pkg = this.#registry.get(params.package);
      if (!pkg) return S.SEC_E_SECPKG_NOT_FOUND;
      if (params.output !== undefined && !isValidBufferDesc(params.output)) return S.SEC_E_INVALID_TOKEN;
      args = [
        params.domain,
        params.account,
        params.oldPassword,
        params.newPassword,
        params.impersonating ?? false,
        params.output,
      ];
    } catch {
      return S.SEC_E_INVALID_PARAMETER;
    }
    const fn = pkg.lsa.changeAccountPassword;
    if (!fn) return S.SEC_E_UNSUPPORTED_FUNCTION;
    let value: unknown;
    try {
      value = await fn(...args);
    } catch (err) {
      return this.#fault(pkg, 'ChangeAccountPassword', err);
    }
    return this.#status(pkg, 'ChangeAccountPassword', value);
  }

  /**
   * FreeContextBuffer: JavaScript memory is garbage-collected, so what is left to do is the part
   * that matters for secrets: the bytes (session keys, packed contexts, tokens) are wiped.
   */
  freeContextBuffer(buffer: Uint8Array | SecBuffer | SecBufferDesc): number {
    if (buffer instanceof Uint8Array) wipe(buffer);
    else if (isValidBufferDesc(buffer)) for (const b of buffer.buffers) wipe(b.data);
    else if (typeof buffer === 'object' && buffer !== null && buffer.data instanceof Uint8Array) wipe(buffer.data);
    else return S.SEC_E_INVALID_PARAMETER;
    return S.SEC_E_OK;
  }
}
