/**
 * The SSPI dispatcher: every function of SecurityFunctionTableW (reference §4) as a method, routed
 * to the owning package's LSA or user table per the reference's routing summary.
 *
 * Faithful API: every method returns a SECURITY_STATUS (alone, or next to its out-values) and never
 * throws — a package that throws or returns garbage yields SEC_E_INTERNAL_ERROR. Calls that may
 * wait on the network (AcquireCredentialsHandle, AddCredentials, Initialize/AcceptSecurityContext,
 * CompleteAuthToken, ApplyControlToken, ChangeAccountPassword) return promises; per-message,
 * query, export/import and free/delete calls are synchronous.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SecBuffer, SecBufferDesc } from './buffers.js';
import { isValidBufferDesc, wipe } from './buffers.js';
import { ContextExport } from './flags.js';
import type { ContextEntry, ContextSide, HandleEntry } from './handles.js';
import { CredHandle, CtxtHandle, liveCredEntry, liveCtxtEntry } from './handles.js';
import type { RegisteredPackage, Registry } from './registry.js';
import { SecStatus, isSuccess } from './status.js';
import type { LsaModeContextResult } from './tables.js';
import type {
  AccessToken,
  AuthData,
  ContextAttributeValue,
  CredentialAttributeValue,
  LsaSecHandle,
  Luid,
  Out,
  SecGetKeyFn,
  SecPkgInfo,
  TimeStamp,
} from './types.js';

const S = SecStatus;

/** Called with the exception when a package throws; the faithful API still returns a status. */
export type PackageFaultListener = (fault: { readonly package: string; readonly operation: string; readonly error: unknown }) => void;

export interface DispatcherOptions {
  /** Observes package faults (thrown exceptions, malformed results). Never receives caller secrets. */
  onPackageFault?: PackageFaultListener;
}

/** AcquireCredentialsHandle parameters (pszPrincipal, pszPackage, fCredentialUse, …). */
export interface AcquireCredentialsParams {
  package: string;
  principal?: string;
  /** SECPKG_CRED_* */
  credentialUse: number;
  logonId?: Luid;
  authData?: AuthData;
  getKeyFn?: SecGetKeyFn;
  getKeyArgument?: unknown;
}

/** AddCredentials parameters. */
export type AddCredentialsParams = AcquireCredentialsParams;

/** InitializeSecurityContext parameters. `context` is absent on the first call. */
export interface InitializeParams {
  credential?: CredHandle;
  context?: CtxtHandle;
  targetName?: string;
  /** ISC_REQ_* */
  contextReq: number;
  targetDataRep?: number;
  input?: SecBufferDesc;
  output?: SecBufferDesc;
}

/** AcceptSecurityContext parameters. `context` is absent on the first call. */
export interface AcceptParams {
  credential?: CredHandle;
  context?: CtxtHandle;
  input?: SecBufferDesc;
  /** ASC_REQ_* */
  contextReq: number;
  targetDataRep?: number;
  output?: SecBufferDesc;
}

/** Out-values of Initialize/AcceptSecurityContext. */
export interface HandshakeResult {
  status: number;
  /** The context handle (phNewContext): the same object on every leg of one handshake. */
  context?: CtxtHandle;
  /** ISC_RET_* / ASC_RET_* */
  contextAttributes: number;
  expiry?: TimeStamp;
}

/** ChangeAccountPassword parameters. */
export interface ChangePasswordParams {
  package: string;
  domain: string;
  account: string;
  oldPassword: string;
  newPassword: string;
  impersonating?: boolean;
  output?: SecBufferDesc;
}

function statusOf(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= -0x80000000 && value <= 0xffffffff ? value >>> 0 : S.SEC_E_INTERNAL_ERROR;
}

function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
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

  #issue(pkg: RegisteredPackage, lsaHandle: LsaSecHandle): HandleEntry {
    this.#liveHandles++;
    return { owner: this.#owner, pkg, lsaHandle, live: true };
  }

  #retire(entry: HandleEntry): void {
    if (!entry.live) return;
    entry.live = false;
    this.#liveHandles--;
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
  async acquireCredentialsHandle(params: AcquireCredentialsParams): Promise<{ status: number; credential?: CredHandle; expiry?: TimeStamp }> {
    const pkg = this.#registry.get(params?.package);
    if (!pkg) return { status: S.SEC_E_SECPKG_NOT_FOUND };
    if (!isInt(params.credentialUse)) return { status: S.SEC_E_INVALID_PARAMETER };
    const fn = pkg.lsa.acquireCredentialsHandle;
    if (!fn) return { status: S.SEC_E_UNSUPPORTED_FUNCTION };
    let r;
    try {
      r = await fn(params.principal, params.credentialUse >>> 0, params.logonId, params.authData, params.getKeyFn, params.getKeyArgument);
    } catch (e) {
      return { status: this.#fault(pkg, 'AcquireCredentialsHandle', e) };
    }
    const status = statusOf(r?.status);
    if (!isSuccess(status)) return { status };
    if (r.credentialHandle === undefined) return { status: this.#fault(pkg, 'AcquireCredentialsHandle', new Error('no credential handle returned')) };
    const credential = new CredHandle(this.#issue(pkg, r.credentialHandle));
    return r.expirationTime === undefined ? { status, credential } : { status, credential, expiry: r.expirationTime };
  }

  /** AddCredentialsW → SpAddCredentials (LSA #25) of the credential's package. */
  async addCredentials(credential: CredHandle, params: AddCredentialsParams): Promise<{ status: number; expiry?: TimeStamp }> {
    const e = liveCredEntry(this.#owner, credential);
    if (!e) return { status: S.SEC_E_INVALID_HANDLE };
    if (typeof params?.package !== 'string' || !this.#registry.get(params.package)) return { status: S.SEC_E_SECPKG_NOT_FOUND };
    if (!isInt(params.credentialUse)) return { status: S.SEC_E_INVALID_PARAMETER };
    const fn = e.pkg.lsa.addCredentials;
    if (!fn) return { status: S.SEC_E_UNSUPPORTED_FUNCTION };
    try {
      const r = await fn(e.lsaHandle, params.principal, params.package, params.credentialUse >>> 0, params.authData, params.getKeyFn, params.getKeyArgument);
      const status = statusOf(r?.status);
      return r.expirationTime === undefined || !isSuccess(status) ? { status } : { status, expiry: r.expirationTime };
    } catch (err) {
      return { status: this.#fault(e.pkg, 'AddCredentials', err) };
    }
  }

  /** QueryCredentialsAttributesW → LSA #13. */
  queryCredentialsAttributes<A extends number>(credential: CredHandle, attribute: A): { status: number; buffer?: CredentialAttributeValue<A> } {
    const e = liveCredEntry(this.#owner, credential);
    if (!e) return { status: S.SEC_E_INVALID_HANDLE };
    if (!isInt(attribute)) return { status: S.SEC_E_INVALID_PARAMETER };
    const fn = e.pkg.lsa.queryCredentialsAttributes;
    if (!fn) return { status: S.SEC_E_UNSUPPORTED_FUNCTION };
    try {
      const r = fn(e.lsaHandle, attribute);
      const status = statusOf(r?.status);
      return isSuccess(status) ? { status, buffer: r.buffer as CredentialAttributeValue<A> } : { status };
    } catch (err) {
      return { status: this.#fault(e.pkg, 'QueryCredentialsAttributes', err) };
    }
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
  async initializeSecurityContext(params: InitializeParams): Promise<HandshakeResult> {
    if (typeof params !== 'object' || params === null) return { status: S.SEC_E_INVALID_PARAMETER, contextAttributes: 0 };
    return this.#handshake('client', params.credential, params.context, params.contextReq, params.targetDataRep, params.input, params.output, (pkg, cred, ctx) => {
      const fn = pkg.lsa.initLsaModeContext;
      return fn && (() => fn(cred, ctx, params.targetName, params.contextReq >>> 0, params.targetDataRep ?? 0, params.input, params.output));
    });
  }

  /** AcceptSecurityContext → SpAcceptLsaModeContext (LSA #19), then InitUserModeContext when mapped. */
  async acceptSecurityContext(params: AcceptParams): Promise<HandshakeResult> {
    if (typeof params !== 'object' || params === null) return { status: S.SEC_E_INVALID_PARAMETER, contextAttributes: 0 };
    return this.#handshake('server', params.credential, params.context, params.contextReq, params.targetDataRep, params.input, params.output, (pkg, cred, ctx) => {
      const fn = pkg.lsa.acceptLsaModeContext;
      return fn && (() => fn(cred, ctx, params.input, params.contextReq >>> 0, params.targetDataRep ?? 0, params.output));
    });
  }

  async #handshake(
    side: ContextSide,
    credential: CredHandle | undefined,
    context: CtxtHandle | undefined,
    contextReq: unknown,
    targetDataRep: unknown,
    input: SecBufferDesc | undefined,
    output: SecBufferDesc | undefined,
    bind: (pkg: RegisteredPackage, cred: LsaSecHandle | undefined, ctx: LsaSecHandle | undefined) => (() => LsaModeContextResult | Promise<LsaModeContextResult>) | undefined,
  ): Promise<HandshakeResult> {
    const operation = side === 'client' ? 'InitializeSecurityContext' : 'AcceptSecurityContext';
    const fail = (status: number): HandshakeResult => ({ status, contextAttributes: 0 });
    const cred = credential === undefined ? undefined : liveCredEntry(this.#owner, credential);
    const ctx = context === undefined ? undefined : liveCtxtEntry(this.#owner, context);
    if (credential !== undefined && !cred) return fail(S.SEC_E_INVALID_HANDLE);
    if (context !== undefined && (!ctx || ctx.side !== side)) return fail(S.SEC_E_INVALID_HANDLE);
    if (!cred && !ctx) return fail(S.SEC_E_INVALID_HANDLE);
    if (cred && ctx && cred.pkg !== ctx.pkg) return fail(S.SEC_E_INVALID_HANDLE);
    if (!isInt(contextReq) || (targetDataRep !== undefined && !isInt(targetDataRep))) return fail(S.SEC_E_INVALID_PARAMETER);
    if ((input !== undefined && !isValidBufferDesc(input)) || (output !== undefined && !isValidBufferDesc(output))) return fail(S.SEC_E_INVALID_TOKEN);
    const pkg = (ctx ?? cred)!.pkg;
    const call = bind(pkg, cred?.lsaHandle, ctx?.lsaHandle);
    if (!call) return fail(S.SEC_E_UNSUPPORTED_FUNCTION);

    let r: LsaModeContextResult;
    try {
      r = await call();
    } catch (e) {
      return fail(this.#fault(pkg, operation, e));
    }
    const status = statusOf(r?.status);
    const attrs = isInt(r?.contextAttributes) ? r.contextAttributes >>> 0 : 0;
    const result = (s: number, handle?: CtxtHandle): HandshakeResult => {
      const out: HandshakeResult = { status: s, contextAttributes: attrs };
      if (handle) out.context = handle;
      if (r.expirationTime !== undefined) out.expiry = r.expirationTime;
      return out;
    };
    const newHandle = r?.newContextHandle;

    if (ctx && !ctx.live) {
      // Deleted while this leg was in flight: the package's replacement handle must not leak.
      if (newHandle !== undefined && newHandle !== ctx.lsaHandle) this.#deleteInPackage(pkg, newHandle);
      wipe(r?.contextData);
      return fail(S.SEC_E_INVALID_HANDLE);
    }
    if (!isSuccess(status)) {
      if (!ctx && newHandle !== undefined) this.#deleteInPackage(pkg, newHandle);
      wipe(r?.contextData);
      return { status, contextAttributes: attrs };
    }

    let entry: ContextEntry;
    if (ctx) {
      if (newHandle !== undefined) ctx.lsaHandle = newHandle;
      entry = ctx;
    } else {
      if (newHandle === undefined) return fail(this.#fault(pkg, operation, new Error('no context handle returned')));
      entry = { ...this.#issue(pkg, newHandle), side };
    }
    const handle = context ?? new CtxtHandle(entry);

    if (r.mappedContext) {
      const init = pkg.user?.initUserModeContext;
      const packed = r.contextData ?? new Uint8Array(0);
      if (init) {
        const st = this.#call(pkg, 'InitUserModeContext', () => init(entry.lsaHandle, packed));
        if (!isSuccess(st)) {
          wipe(packed);
          this.#retire(entry);
          this.#deleteInPackage(pkg, entry.lsaHandle);
          return { status: st, contextAttributes: attrs };
        }
      }
      wipe(packed);
    }
    return result(status, handle);
  }

  #deleteInPackage(pkg: RegisteredPackage, lsaHandle: LsaSecHandle): number {
    const user = pkg.user?.deleteUserModeContext;
    const lsa = pkg.lsa.deleteContext;
    const userStatus = user ? this.#call(pkg, 'DeleteUserModeContext', () => user(lsaHandle)) : S.SEC_E_OK;
    if (!lsa) return user ? userStatus : S.SEC_E_INVALID_HANDLE;
    const lsaStatus = this.#call(pkg, 'DeleteContext', () => lsa(lsaHandle));
    return isSuccess(lsaStatus) ? userStatus : lsaStatus;
  }

  #call(pkg: RegisteredPackage, operation: string, fn: () => number): number {
    try {
      return statusOf(fn());
    } catch (e) {
      return this.#fault(pkg, operation, e);
    }
  }

  #ctx(context: CtxtHandle): ContextEntry | undefined {
    return liveCtxtEntry(this.#owner, context);
  }

  /** CompleteAuthToken → the user table's SpCompleteAuthToken (#8). */
  async completeAuthToken(context: CtxtHandle, token: SecBufferDesc): Promise<number> {
    const e = this.#ctx(context);
    if (!e) return S.SEC_E_INVALID_HANDLE;
    if (!isValidBufferDesc(token)) return S.SEC_E_INVALID_TOKEN;
    const fn = e.pkg.user?.completeAuthToken;
    if (!fn) return S.SEC_E_UNSUPPORTED_FUNCTION;
    try {
      const st = statusOf(await fn(e.lsaHandle, token));
      return e.live ? st : S.SEC_E_INVALID_HANDLE;
    } catch (err) {
      return this.#fault(e.pkg, 'CompleteAuthToken', err);
    }
  }

  /** ApplyControlToken → LSA #21. */
  async applyControlToken(context: CtxtHandle, input: SecBufferDesc): Promise<number> {
    const e = this.#ctx(context);
    if (!e) return S.SEC_E_INVALID_HANDLE;
    if (!isValidBufferDesc(input)) return S.SEC_E_INVALID_TOKEN;
    const fn = e.pkg.lsa.applyControlToken;
    if (!fn) return S.SEC_E_UNSUPPORTED_FUNCTION;
    try {
      return statusOf(await fn(e.lsaHandle, input));
    } catch (err) {
      return this.#fault(e.pkg, 'ApplyControlToken', err);
    }
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

  /** QueryContextAttributesW → the user table's #7 when present, else LSA #24. */
  queryContextAttributes<A extends number>(context: CtxtHandle, attribute: A): { status: number; buffer?: ContextAttributeValue<A> } {
    const e = this.#ctx(context);
    if (!e) return { status: S.SEC_E_INVALID_HANDLE };
    if (!isInt(attribute)) return { status: S.SEC_E_INVALID_PARAMETER };
    const fn = e.pkg.user?.queryContextAttributes ?? e.pkg.lsa.queryContextAttributes;
    if (!fn) return { status: S.SEC_E_UNSUPPORTED_FUNCTION };
    try {
      const r = fn(e.lsaHandle, attribute);
      const status = statusOf(r?.status);
      return isSuccess(status) ? { status, buffer: r.buffer as ContextAttributeValue<A> } : { status };
    } catch (err) {
      return { status: this.#fault(e.pkg, 'QueryContextAttributes', err) };
    }
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
    try {
      const r = fn(e.lsaHandle);
      const status = statusOf(r?.status);
      if (!isSuccess(status)) return { status };
      if (!r.token) return { status: this.#fault(e.pkg, 'QuerySecurityContextToken', new Error('no token returned')) };
      return { status, token: r.token };
    } catch (err) {
      return { status: this.#fault(e.pkg, 'QuerySecurityContextToken', err) };
    }
  }

  /**
   * ImpersonateSecurityContext → SpGetContextToken. Node has no thread tokens: the client's token
   * becomes the current asynchronous context's identity (see {@link impersonationToken}) until
   * RevertSecurityContext. Work started after this call, in the same async flow, sees it.
   */
  impersonateSecurityContext(context: CtxtHandle): number {
    const r = this.querySecurityContextToken(context);
    if (!isSuccess(r.status)) return r.status === S.SEC_E_UNSUPPORTED_FUNCTION ? S.SEC_E_NO_IMPERSONATION : r.status;
    this.#impersonation.enterWith({ context, token: r.token! });
    return S.SEC_E_OK;
  }

  /** RevertSecurityContext: ends the impersonation started on this context. */
  revertSecurityContext(context: CtxtHandle): number {
    if (!this.#ctx(context)) return S.SEC_E_INVALID_HANDLE;
    const current = this.#impersonation.getStore();
    if (current && current.context === context) this.#impersonation.enterWith(undefined);
    return S.SEC_E_OK;
  }

  /** The token of the context being impersonated in the current async flow, if any. */
  impersonationToken(): AccessToken | undefined {
    return this.#impersonation.getStore()?.token;
  }

  /** MakeSignature → user #2. The signature is written into the caller's TOKEN buffer. */
  makeSignature(context: CtxtHandle, qop: number, message: SecBufferDesc, messageSeqNo: number): number {
    const e = liveCtxtEntry(this.#owner, context);
    if (e === undefined) return S.SEC_E_INVALID_HANDLE;
    const fn = e.pkg.user?.makeSignature;
    if (fn === undefined) return S.SEC_E_UNSUPPORTED_FUNCTION;
    if (!isValidBufferDesc(message)) return S.SEC_E_INVALID_TOKEN;
    try {
      return statusOf(fn(e.lsaHandle, qop >>> 0, message, messageSeqNo >>> 0));
    } catch (err) {
      return this.#fault(e.pkg, 'MakeSignature', err);
    }
  }

  /** VerifySignature → user #3. `qop` receives pfQOP when given. */
  verifySignature(context: CtxtHandle, message: SecBufferDesc, messageSeqNo: number, qop?: Out<number>): number {
    const e = liveCtxtEntry(this.#owner, context);
    if (e === undefined) return S.SEC_E_INVALID_HANDLE;
    const fn = e.pkg.user?.verifySignature;
    if (fn === undefined) return S.SEC_E_UNSUPPORTED_FUNCTION;
    if (!isValidBufferDesc(message)) return S.SEC_E_INVALID_TOKEN;
    try {
      return statusOf(fn(e.lsaHandle, message, messageSeqNo >>> 0, qop));
    } catch (err) {
      return this.#fault(e.pkg, 'VerifySignature', err);
    }
  }

  /** EncryptMessage → user #4 (SpSealMessage). DATA buffers are encrypted in place. */
  encryptMessage(context: CtxtHandle, qop: number, message: SecBufferDesc, messageSeqNo: number): number {
    const e = liveCtxtEntry(this.#owner, context);
    if (e === undefined) return S.SEC_E_INVALID_HANDLE;
    const fn = e.pkg.user?.sealMessage;
    if (fn === undefined) return S.SEC_E_UNSUPPORTED_FUNCTION;
    if (!isValidBufferDesc(message)) return S.SEC_E_INVALID_TOKEN;
    try {
      return statusOf(fn(e.lsaHandle, qop >>> 0, message, messageSeqNo >>> 0));
    } catch (err) {
      return this.#fault(e.pkg, 'EncryptMessage', err);
    }
  }

  /** DecryptMessage → user #5 (SpUnsealMessage). `qop` receives pfQOP when given. */
  decryptMessage(context: CtxtHandle, message: SecBufferDesc, messageSeqNo: number, qop?: Out<number>): number {
    const e = liveCtxtEntry(this.#owner, context);
    if (e === undefined) return S.SEC_E_INVALID_HANDLE;
    const fn = e.pkg.user?.unsealMessage;
    if (fn === undefined) return S.SEC_E_UNSUPPORTED_FUNCTION;
    if (!isValidBufferDesc(message)) return S.SEC_E_INVALID_TOKEN;
    try {
      return statusOf(fn(e.lsaHandle, message, messageSeqNo >>> 0, qop));
    } catch (err) {
      return this.#fault(e.pkg, 'DecryptMessage', err);
    }
  }

  /** ExportSecurityContext → user #12. With SECPKG_CONTEXT_EXPORT_DELETE_OLD the handle is retired. */
  exportSecurityContext(context: CtxtHandle, flags: number): { status: number; packedContext?: Uint8Array; token?: AccessToken } {
    const e = this.#ctx(context);
    if (!e) return { status: S.SEC_E_INVALID_HANDLE };
    if (!isInt(flags)) return { status: S.SEC_E_INVALID_PARAMETER };
    const fn = e.pkg.user?.exportContext;
    if (!fn) return { status: S.SEC_E_UNSUPPORTED_FUNCTION };
    try {
      const r = fn(e.lsaHandle, flags >>> 0);
      const status = statusOf(r?.status);
      if (!isSuccess(status)) return { status };
      if (!(r.packedContext instanceof Uint8Array)) return { status: this.#fault(e.pkg, 'ExportSecurityContext', new Error('no packed context returned')) };
      if ((flags & ContextExport.DELETE_OLD) !== 0) this.#retire(e);
      return r.token ? { status, packedContext: r.packedContext, token: r.token } : { status, packedContext: r.packedContext };
    } catch (err) {
      return { status: this.#fault(e.pkg, 'ExportSecurityContext', err) };
    }
  }

  /** ImportSecurityContextW → user #13 of the named package; the new handle keeps the exporter's side. */
  importSecurityContext(packageName: string, packedContext: Uint8Array, token?: AccessToken, side: ContextSide = 'server'): { status: number; context?: CtxtHandle } {
    const pkg = this.#registry.get(packageName);
    if (!pkg) return { status: S.SEC_E_SECPKG_NOT_FOUND };
    if (!(packedContext instanceof Uint8Array)) return { status: S.SEC_E_INVALID_TOKEN };
    if (side !== 'client' && side !== 'server') return { status: S.SEC_E_INVALID_PARAMETER };
    const fn = pkg.user?.importContext;
    if (!fn) return { status: S.SEC_E_UNSUPPORTED_FUNCTION };
    try {
      const r = fn(packedContext, token);
      const status = statusOf(r?.status);
      if (!isSuccess(status)) return { status };
      if (r.contextHandle === undefined) return { status: this.#fault(pkg, 'ImportSecurityContext', new Error('no context handle returned')) };
      return { status, context: new CtxtHandle({ ...this.#issue(pkg, r.contextHandle), side }) };
    } catch (err) {
      return { status: this.#fault(pkg, 'ImportSecurityContext', err) };
    }
  }

  /** ChangeAccountPasswordW → LSA #29 (table VERSION_4). */
  async changeAccountPassword(params: ChangePasswordParams): Promise<number> {
    const pkg = this.#registry.get(params?.package);
    if (!pkg) return S.SEC_E_SECPKG_NOT_FOUND;
    if (params.output !== undefined && !isValidBufferDesc(params.output)) return S.SEC_E_INVALID_TOKEN;
    const fn = pkg.lsa.changeAccountPassword;
    if (!fn) return S.SEC_E_UNSUPPORTED_FUNCTION;
    try {
      return statusOf(await fn(params.domain, params.account, params.oldPassword, params.newPassword, params.impersonating ?? false, params.output));
    } catch (err) {
      return this.#fault(pkg, 'ChangeAccountPassword', err);
    }
  }

  /**
   * FreeContextBuffer: JavaScript memory is garbage-collected, so what is left to do is the part
   * that matters for secrets: the bytes (session keys, packed contexts, tokens) are wiped.
   */
  freeContextBuffer(buffer: Uint8Array | SecBuffer | SecBufferDesc): number {
    if (buffer instanceof Uint8Array) wipe(buffer);
    else if (isValidBufferDesc(buffer)) for (const b of buffer.buffers) wipe(b.data);
    else if (typeof buffer === 'object' && buffer !== null && (buffer as SecBuffer).data instanceof Uint8Array) wipe((buffer as SecBuffer).data);
    else return S.SEC_E_INVALID_PARAMETER;
    return S.SEC_E_OK;
  }
}
