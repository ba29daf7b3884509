/** Parameter and result shapes of the SSPI dispatcher's methods. */
import type { SecBufferDesc } from './buffers.js';
import type { CredHandle, CtxtHandle } from './handles.js';
import type { AuthData, Luid, SecGetKeyFn, TimeStamp } from './types.js';

/** Called with the exception when a package throws; the faithful API still returns a status. */
export type PackageFaultListener = (fault: {
  readonly package: string;
  readonly operation: string;
  readonly error: unknown;
}) => void;

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
  /** With an error status: the package's diagnostic (the native library's message, a thrown error). */
  cause?: unknown;
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
