/**
 * The two SSP/AP function tables as TypeScript interfaces, every member in the order of
 * ntsecpkg.h (SECPKG_FUNCTION_TABLE, SECPKG_USER_FUNCTION_TABLE). Members are optional: an absent
 * member makes the dispatcher answer SEC_E_UNSUPPORTED_FUNCTION (for FreeCredentialsHandle / DeleteSecurityContext:
 * SEC_E_INVALID_HANDLE, as Windows' secur32 does).
 *
 * Conventions: in-parameters are positional as in C; out-parameters come back in a result object
 * next to `status`. Handles are the package's own LSA_SEC_HANDLE values; the dispatcher maps them
 * to application handles. Slots that may wait on the network may return a promise; per-message,
 * query and free/delete slots are synchronous so the hot path stays a plain call.
 */
import type { SecBuffer, SecBufferDesc } from './buffers.js';
import type { SecurityStatus } from './status.js';
import type {
  AccessToken,
  AuthData,
  LsaSecHandle,
  Luid,
  MaybePromise,
  Out,
  SecGetKeyFn,
  SecPkgInfo,
  TimeStamp,
} from './types.js';

/** An opaque LSA client request (PLSA_CLIENT_REQUEST). */
export interface ClientRequest {
  readonly clientId: number;
}

/** SECPKG_PARAMETERS, handed to SpInitialize. */
export interface SecpkgParameters {
  readonly version: number;
  /** MachineState bits (see `MachineState`). */
  readonly machineState: number;
  readonly setupMode: number;
  readonly domainSid?: string;
  readonly domainName: string;
  readonly dnsDomainName: string;
  readonly domainGuid?: string;
}

/** A package found through the helper tables: how packages reach each other (Negotiate does). */
export interface LocatedPackage {
  readonly packageId: number;
  readonly info: SecPkgInfo;
  /** The LSA table, with members beyond the package's declared version removed. */
  readonly functionTable: SecpkgFunctionTable;
  readonly userFunctionTable: SecpkgUserFunctionTable | undefined;
}

/** LSA_DISPATCH_TABLE: the helpers an authentication package gets from InitializePackage. */
export interface LsaDispatchTable {
  /** AllocateLsaHeap: zeroed memory owned by the LSA. */
  allocateLsaHeap(length: number): Uint8Array;
  /** FreeLsaHeap: the memory is wiped. */
  freeLsaHeap(buffer: Uint8Array): void;
}

/**
 * LSA_SECPKG_FUNCTION_TABLE: the helper table SpInitialize receives. Beyond the heap helpers it
 * carries the injectable clock and random source, so packages are deterministic under test, and
 * the way to locate other packages.
 */
export interface LsaSecpkgFunctionTable extends LsaDispatchTable {
  /** Milliseconds since the Unix epoch, from the injected clock. */
  clock(): number;
  /** The injected clock as a FILETIME TimeStamp. */
  now(): TimeStamp;
  /** `length` bytes from the injected random source. */
  randomBytes(length: number): Uint8Array;
  /** Finds a registered package by name (case-insensitive). */
  locatePackage(name: string): LocatedPackage | undefined;
  /** Finds a registered package by its package id. */
  locatePackageById(packageId: number): LocatedPackage | undefined;
}

/** SECPKG_DLL_FUNCTIONS: what SpInstanceInit receives in the application process. */
export interface SecpkgDllFunctions {
  allocateHeap(length: number): Uint8Array;
  freeHeap(buffer: Uint8Array): void;
  registerCallback(callbackId: number, callback: (argument: unknown) => SecurityStatus): SecurityStatus;
  locatePackageById(packageId: number): LocatedPackage | undefined;
}

/** Out-values of the LsaLogonUser family (profile, logon id, token information, names). */
export interface LogonUserResult {
  status: SecurityStatus;
  subStatus?: SecurityStatus;
  profileBuffer?: Uint8Array;
  logonId?: Luid;
  tokenInformation?: AccessToken;
  accountName?: string;
  authenticatingAuthority?: string;
  machineName?: string;
  primaryCredentials?: SecpkgPrimaryCred;
  supplementalCredentials?: readonly SecpkgSupplementalCred[];
}

/** Out-values of CallPackage and friends. */
export interface CallPackageResult {
  status: SecurityStatus;
  protocolReturnBuffer?: Uint8Array;
  protocolStatus?: SecurityStatus;
}

/** SECPKG_PRIMARY_CRED, reduced to what a TypeScript package can use. */
export interface SecpkgPrimaryCred {
  readonly logonId?: Luid;
  readonly downlevelName?: string;
  readonly domainName?: string;
  readonly password?: string;
  readonly userSid?: string;
  readonly flags?: number;
  readonly dnsDomainName?: string;
  readonly upn?: string;
}

/** SECPKG_SUPPLEMENTAL_CRED: a package name and its opaque credential bytes. */
export interface SecpkgSupplementalCred {
  readonly packageName: string;
  readonly credentials: Uint8Array;
}

/** SECPKG_TARGETINFO. */
export interface SecpkgTargetInfo {
  readonly domainSid?: string;
  readonly computerName: string;
}

/** SECPKG_POST_LOGON_USER_INFO. */
export interface SecpkgPostLogonUserInfo {
  readonly flags: number;
  readonly logonId: Luid;
  readonly linkedLogonId: Luid;
}

/** SECPKG_SURROGATE_LOGON: surrogate logon entries, opaque to the LSA. */
export interface SecpkgSurrogateLogon {
  readonly version: number;
  readonly entries: readonly { readonly type: string; readonly data: Uint8Array }[];
}

/** SecurityUserData (GetUserInfo). */
export interface SecurityUserData {
  readonly userName: string;
  readonly logonDomainName: string;
  readonly logonServer: string;
  readonly sid?: string;
}

/** Out-values of SpInitLsaModeContext / SpAcceptLsaModeContext. */
export interface LsaModeContextResult {
  status: SecurityStatus;
  /** NewContextHandle: the package's handle for the context (first leg, or a replacement). */
  newContextHandle?: LsaSecHandle;
  /** ISC_RET_* or ASC_RET_* bits. */
  contextAttributes?: number;
  expirationTime?: TimeStamp;
  /** MappedContext: ask the dispatcher to hand `contextData` to the user table's InitUserModeContext. */
  mappedContext?: boolean;
  /** ContextData: the packed context for InitUserModeContext; wiped by the dispatcher afterwards. */
  contextData?: Uint8Array;
  /** With an error status: the package's diagnostic (e.g. the native library's message), never a secret. */
  cause?: unknown;
}

/** Out-values of SpAcquireCredentialsHandle. */
export interface AcquireCredentialsResult {
  status: SecurityStatus;
  credentialHandle?: LsaSecHandle;
  expirationTime?: TimeStamp;
  /** With an error status: the package's diagnostic, never a secret. */
  cause?: unknown;
}

/** A status with one out-value. */
export type StatusWith<K extends string, V> = { status: SecurityStatus } & { [P in K]?: V };

/** SECPKG_FUNCTION_TABLE (LSA mode), members #0–#42 in header order. */
export interface SecpkgFunctionTable {
  /** #0 InitializePackage (V1): AP initialisation; returns the package name. */
  initializePackage?(
    authenticationPackageId: number,
    lsaDispatchTable: LsaDispatchTable,
    database: string | undefined,
    confidentiality: string | undefined,
  ): StatusWith<'authenticationPackageName', string>;
  /** #1 LogonUser (V1). */
  logonUser?(
    clientRequest: ClientRequest,
    logonType: number,
    protocolSubmitBuffer: Uint8Array,
  ): MaybePromise<LogonUserResult>;
  /** #2 CallPackage (V1). */
  callPackage?(clientRequest: ClientRequest, protocolSubmitBuffer: Uint8Array): MaybePromise<CallPackageResult>;
  /** #3 LogonTerminated (V1). */
  logonTerminated?(logonId: Luid): void;
  /** #4 CallPackageUntrusted (V1). */
  callPackageUntrusted?(
    clientRequest: ClientRequest,
    protocolSubmitBuffer: Uint8Array,
  ): MaybePromise<CallPackageResult>;
  /** #5 CallPackagePassthrough (V1). */
  callPackagePassthrough?(
    clientRequest: ClientRequest,
    protocolSubmitBuffer: Uint8Array,
  ): MaybePromise<CallPackageResult>;
  /** #6 LogonUserEx (V1): LogonUser plus the machine name. */
  logonUserEx?(
    clientRequest: ClientRequest,
    logonType: number,
    protocolSubmitBuffer: Uint8Array,
  ): MaybePromise<LogonUserResult>;
  /** #7 LogonUserEx2 (V1): plus primary and supplemental credentials. */
  logonUserEx2?(
    clientRequest: ClientRequest,
    logonType: number,
    protocolSubmitBuffer: Uint8Array,
  ): MaybePromise<LogonUserResult>;
  /** #8 Initialize (V1) — SpInitialize: keep the parameters and the helper table. */
  initialize?(packageId: number, parameters: SecpkgParameters, functionTable: LsaSecpkgFunctionTable): SecurityStatus;
  /** #9 Shutdown (V1). */
  shutdown?(): SecurityStatus;
  /** #10 GetInfo (V1): feeds EnumerateSecurityPackages / QuerySecurityPackageInfo (cached at load). */
  getInfo?(): StatusWith<'packageInfo', SecPkgInfo>;
  /** #11 AcceptCredentials (V1). */
  acceptCredentials?(
    logonType: number,
    accountName: string,
    primaryCredentials: SecpkgPrimaryCred | undefined,
    supplementalCredentials: SecpkgSupplementalCred | undefined,
  ): SecurityStatus;
  /** #12 AcquireCredentialsHandle (V1) — from AcquireCredentialsHandle. */
  acquireCredentialsHandle?(
    principalName: string | undefined,
    credentialUseFlags: number,
    logonId: Luid | undefined,
    authorizationData: AuthData | undefined,
    getKeyFunction: SecGetKeyFn | undefined,
    getKeyArgument: unknown,
  ): MaybePromise<AcquireCredentialsResult>;
  /** #13 QueryCredentialsAttributes (V1). */
  queryCredentialsAttributes?(
    credentialHandle: LsaSecHandle,
    credentialAttribute: number,
  ): StatusWith<'buffer', unknown>;
  /** #14 FreeCredentialsHandle (V1). */
  freeCredentialsHandle?(credentialHandle: LsaSecHandle): SecurityStatus;
  /** #15 SaveCredentials (V1). */
  saveCredentials?(credentialHandle: LsaSecHandle, credentials: SecBuffer): SecurityStatus;
  /** #16 GetCredentials (V1). */
  getCredentials?(credentialHandle: LsaSecHandle, credentials: SecBuffer): SecurityStatus;
  /** #17 DeleteCredentials (V1). */
  deleteCredentials?(credentialHandle: LsaSecHandle, key: SecBuffer): SecurityStatus;
  /** #18 InitLsaModeContext (V1) — the client leg of InitializeSecurityContext. */
  initLsaModeContext?(
    credentialHandle: LsaSecHandle | undefined,
    contextHandle: LsaSecHandle | undefined,
    targetName: string | undefined,
    contextRequirements: number,
    targetDataRep: number,
    inputBuffers: SecBufferDesc | undefined,
    outputBuffers: SecBufferDesc | undefined,
  ): MaybePromise<LsaModeContextResult>;
  /** #19 AcceptLsaModeContext (V1) — the server leg of AcceptSecurityContext. */
  acceptLsaModeContext?(
    credentialHandle: LsaSecHandle | undefined,
    contextHandle: LsaSecHandle | undefined,
    inputBuffers: SecBufferDesc | undefined,
    contextRequirements: number,
    targetDataRep: number,
    outputBuffers: SecBufferDesc | undefined,
  ): MaybePromise<LsaModeContextResult>;
  /** #20 DeleteContext (V1) — from DeleteSecurityContext. */
  deleteContext?(contextHandle: LsaSecHandle): SecurityStatus;
  /** #21 ApplyControlToken (V1). */
  applyControlToken?(contextHandle: LsaSecHandle, controlToken: SecBufferDesc): MaybePromise<SecurityStatus>;
  /** #22 GetUserInfo (V1). */
  getUserInfo?(logonId: Luid, flags: number): StatusWith<'userData', SecurityUserData>;
  /** #23 GetExtendedInformation (V1). */
  getExtendedInformation?(informationClass: number): StatusWith<'information', unknown>;
  /** #24 QueryContextAttributes (V1), LSA side. */
  queryContextAttributes?(contextHandle: LsaSecHandle, contextAttribute: number): StatusWith<'buffer', unknown>;
  /** #25 AddCredentials (V1). */
  addCredentials?(
    credentialHandle: LsaSecHandle,
    principalName: string | undefined,
    packageName: string,
    credentialUseFlags: number,
    authorizationData: AuthData | undefined,
    getKeyFunction: SecGetKeyFn | undefined,
    getKeyArgument: unknown,
  ): MaybePromise<StatusWith<'expirationTime', TimeStamp>>;
  /** #26 SetExtendedInformation (V1). */
  setExtendedInformation?(informationClass: number, information: unknown): SecurityStatus;
  /** #27 SetContextAttributes (VERSION_2). */
  setContextAttributes?(contextHandle: LsaSecHandle, contextAttribute: number, buffer: unknown): SecurityStatus;
  /** #28 SetCredentialsAttributes (VERSION_3). */
  setCredentialsAttributes?(
    credentialHandle: LsaSecHandle,
    credentialAttribute: number,
    buffer: unknown,
  ): SecurityStatus;
  /** #29 ChangeAccountPassword (VERSION_4). */
  changeAccountPassword?(
    domainName: string,
    accountName: string,
    oldPassword: string,
    newPassword: string,
    impersonating: boolean,
    output: SecBufferDesc | undefined,
  ): MaybePromise<SecurityStatus>;
  /** #30 QueryMetaData (VERSION_5). */
  queryMetaData?(
    credentialHandle: LsaSecHandle | undefined,
    targetName: string | undefined,
    contextRequirements: number,
    contextHandle: LsaSecHandle | undefined,
  ): { status: SecurityStatus; metaData?: Uint8Array; contextHandle?: LsaSecHandle };
  /** #31 ExchangeMetaData (VERSION_5). */
  exchangeMetaData?(
    credentialHandle: LsaSecHandle | undefined,
    targetName: string | undefined,
    contextRequirements: number,
    metaData: Uint8Array,
    contextHandle: LsaSecHandle | undefined,
  ): StatusWith<'contextHandle', LsaSecHandle>;
  /** #32 GetCredUIContext (VERSION_5). */
  getCredUIContext?(contextHandle: LsaSecHandle, credType: string): StatusWith<'flatCredUIContext', Uint8Array>;
  /** #33 UpdateCredentials (VERSION_5). */
  updateCredentials?(contextHandle: LsaSecHandle, credType: string, flatCredUIContext: Uint8Array): SecurityStatus;
  /** #34 ValidateTargetInfo (VERSION_6). */
  validateTargetInfo?(
    clientRequest: ClientRequest | undefined,
    protocolSubmitBuffer: Uint8Array,
    targetInfo: SecpkgTargetInfo,
  ): SecurityStatus;
  /** #35 PostLogonUser (VERSION_7). */
  postLogonUser?(postLogonUserInfo: SecpkgPostLogonUserInfo): SecurityStatus;
  /** #36 GetRemoteCredGuardLogonBuffer (VERSION_8); ContextHandle per the SDK, not Wine. */
  getRemoteCredGuardLogonBuffer?(
    credentialHandle: LsaSecHandle,
    contextHandle: LsaSecHandle,
    targetName: string,
  ): { status: SecurityStatus; redirectedLogonHandle?: LsaSecHandle; logonBuffer?: Uint8Array };
  /** #37 GetRemoteCredGuardSupplementalCreds (VERSION_8). */
  getRemoteCredGuardSupplementalCreds?(
    credentialHandle: LsaSecHandle,
    targetName: string,
  ): { status: SecurityStatus; redirectedLogonHandle?: LsaSecHandle; supplementalCreds?: Uint8Array };
  /** #38 GetTbalSupplementalCreds (VERSION_9). */
  getTbalSupplementalCreds?(logonId: Luid): StatusWith<'supplementalCreds', Uint8Array>;
  /** #39 LogonUserEx3 (VERSION_10). */
  logonUserEx3?(
    clientRequest: ClientRequest,
    logonType: number,
    protocolSubmitBuffer: Uint8Array,
    surrogateLogon: SecpkgSurrogateLogon,
  ): MaybePromise<LogonUserResult>;
  /** #40 PreLogonUserSurrogate (VERSION_10). */
  preLogonUserSurrogate?(
    clientRequest: ClientRequest,
    logonType: number,
    protocolSubmitBuffer: Uint8Array,
    surrogateLogon: SecpkgSurrogateLogon,
  ): StatusWith<'subStatus', SecurityStatus>;
  /** #41 PostLogonUserSurrogate (VERSION_10). */
  postLogonUserSurrogate?(
    clientRequest: ClientRequest,
    logonType: number,
    protocolSubmitBuffer: Uint8Array,
    surrogateLogon: SecpkgSurrogateLogon,
    logonResult: LogonUserResult,
  ): SecurityStatus;
  /** #42 ExtractTargetInfo (VERSION_11). */
  extractTargetInfo?(
    clientRequest: ClientRequest | undefined,
    protocolSubmitBuffer: Uint8Array,
  ): StatusWith<'targetInfo', Uint8Array>;
}

/** SECPKG_USER_FUNCTION_TABLE (user mode, in the application process), members #0–#14. */
export interface SecpkgUserFunctionTable {
  /** #0 InstanceInit: one-time user-mode initialisation. */
  instanceInit?(version: number, functionTable: SecpkgDllFunctions): SecurityStatus;
  /** #1 InitUserModeContext: builds the in-process context from the packed LSA context. */
  initUserModeContext?(contextHandle: LsaSecHandle, packedContext: Uint8Array): SecurityStatus;
  /** #2 MakeSignature — from MakeSignature. */
  makeSignature?(
    contextHandle: LsaSecHandle,
    qualityOfProtection: number,
    messageBuffers: SecBufferDesc,
    messageSequenceNumber: number,
  ): SecurityStatus;
  /** #3 VerifySignature — from VerifySignature. */
  verifySignature?(
    contextHandle: LsaSecHandle,
    messageBuffers: SecBufferDesc,
    messageSequenceNumber: number,
    qualityOfProtection: Out<number> | undefined,
  ): SecurityStatus;
  /** #4 SealMessage — from EncryptMessage. */
  sealMessage?(
    contextHandle: LsaSecHandle,
    qualityOfProtection: number,
    messageBuffers: SecBufferDesc,
    messageSequenceNumber: number,
  ): SecurityStatus;
  /** #5 UnsealMessage — from DecryptMessage. */
  unsealMessage?(
    contextHandle: LsaSecHandle,
    messageBuffers: SecBufferDesc,
    messageSequenceNumber: number,
    qualityOfProtection: Out<number> | undefined,
  ): SecurityStatus;
  /** #6 GetContextToken — from QuerySecurityContextToken and ImpersonateSecurityContext. */
  getContextToken?(contextHandle: LsaSecHandle): StatusWith<'token', AccessToken>;
  /** #7 QueryContextAttributes, user side. */
  queryContextAttributes?(contextHandle: LsaSecHandle, contextAttribute: number): StatusWith<'buffer', unknown>;
  /** #8 CompleteAuthToken: finish or verify the token once the whole message is known. */
  completeAuthToken?(contextHandle: LsaSecHandle, inputBuffers: SecBufferDesc): MaybePromise<SecurityStatus>;
  /** #9 DeleteUserModeContext: frees the in-process half. */
  deleteUserModeContext?(contextHandle: LsaSecHandle): SecurityStatus;
  /** #10 FormatCredentials. */
  formatCredentials?(credentials: Uint8Array): StatusWith<'formattedCredentials', Uint8Array>;
  /** #11 MarshallSupplementalCreds. */
  marshallSupplementalCreds?(credentials: Uint8Array): StatusWith<'marshalledCreds', Uint8Array>;
  /** #12 ExportContext — from ExportSecurityContext. */
  exportContext?(
    contextHandle: LsaSecHandle,
    flags: number,
  ): { status: SecurityStatus; packedContext?: Uint8Array; token?: AccessToken };
  /** #13 ImportContext — from ImportSecurityContext. */
  importContext?(packedContext: Uint8Array, token: AccessToken | undefined): StatusWith<'contextHandle', LsaSecHandle>;
  /** #14 MarshalAttributeData (user table VERSION_2). */
  marshalAttributeData?(
    attributeInfo: number,
    attribute: number,
    attributeData: Uint8Array,
  ): StatusWith<'marshaledAttributeData', Uint8Array>;
  /**
   * sspkit extension, no Windows counterpart (see {@link USER_TABLE_EXTENSIONS}): what caused the
   * failure of the last per-message call (MakeSignature, VerifySignature, SealMessage,
   * UnsealMessage) on this context — e.g. an Error carrying the underlying library's own message —
   * or undefined. The faithful API still returns only the status; the convenience layer attaches
   * this as its SspiError's `cause`. Must never hold key material or message contents.
   */
  failureCause?(contextHandle: LsaSecHandle): unknown;
  /**
   * sspkit extension, no Windows counterpart in the public tables (see {@link USER_TABLE_EXTENSIONS}):
   * restart one direction's cipher keystream, keeping its sequence number. [MS-SPNG] §3.3.5.1: once
   * Negotiate has signed (outbound) or verified (inbound) the mechListMIC with an RC4-keyed package
   * (NTLM), the first application message uses a fresh RC4 state, as Windows and MIT SPNEGO with
   * gss-ntlmssp do. Packages without such state need not implement it.
   */
  resetCipherState?(contextHandle: LsaSecHandle, direction: 'outbound' | 'inbound'): SecurityStatus;
}

/** What SpLsaModeInitialize / SpUserModeInitialize return: status, PackageVersion and the tables. */
export interface SpModeInitializeResult<T> {
  status: SecurityStatus;
  packageVersion: number;
  tables: readonly T[];
}

/**
 * A security package module, the counterpart of an SSP/AP DLL: it exports SpLsaModeInitialize and,
 * when it has user-mode packages, SpUserModeInitialize. One module may hold several packages; the
 * i-th user table belongs to the i-th LSA table.
 */
export interface SecurityPackageModule {
  spLsaModeInitialize(lsaVersion: number): MaybePromise<SpModeInitializeResult<SecpkgFunctionTable>>;
  spUserModeInitialize?(lsaVersion: number): MaybePromise<SpModeInitializeResult<SecpkgUserFunctionTable>>;
}

/** Member names of SECPKG_FUNCTION_TABLE in header order, with the version that defines each. */
export const LSA_TABLE_MEMBERS = [
  ['initializePackage', 0x10000],
  ['logonUser', 0x10000],
  ['callPackage', 0x10000],
  ['logonTerminated', 0x10000],
  ['callPackageUntrusted', 0x10000],
  ['callPackagePassthrough', 0x10000],
  ['logonUserEx', 0x10000],
  ['logonUserEx2', 0x10000],
  ['initialize', 0x10000],
  ['shutdown', 0x10000],
  ['getInfo', 0x10000],
  ['acceptCredentials', 0x10000],
  ['acquireCredentialsHandle', 0x10000],
  ['queryCredentialsAttributes', 0x10000],
  ['freeCredentialsHandle', 0x10000],
  ['saveCredentials', 0x10000],
  ['getCredentials', 0x10000],
  ['deleteCredentials', 0x10000],
  ['initLsaModeContext', 0x10000],
  ['acceptLsaModeContext', 0x10000],
  ['deleteContext', 0x10000],
  ['applyControlToken', 0x10000],
  ['getUserInfo', 0x10000],
  ['getExtendedInformation', 0x10000],
  ['queryContextAttributes', 0x10000],
  ['addCredentials', 0x10000],
  ['setExtendedInformation', 0x10000],
  ['setContextAttributes', 0x20000],
  ['setCredentialsAttributes', 0x40000],
  ['changeAccountPassword', 0x80000],
  ['queryMetaData', 0x100000],
  ['exchangeMetaData', 0x100000],
  ['getCredUIContext', 0x100000],
  ['updateCredentials', 0x100000],
  ['validateTargetInfo', 0x200000],
  ['postLogonUser', 0x400000],
  ['getRemoteCredGuardLogonBuffer', 0x800000],
  ['getRemoteCredGuardSupplementalCreds', 0x800000],
  ['getTbalSupplementalCreds', 0x1000000],
  ['logonUserEx3', 0x2000000],
  ['preLogonUserSurrogate', 0x2000000],
  ['postLogonUserSurrogate', 0x2000000],
  ['extractTargetInfo', 0x4000000],
] as const satisfies readonly (readonly [keyof SecpkgFunctionTable, number])[];

/** sspkit's own user-table members (no Windows counterpart), kept at every table version. */
export const USER_TABLE_EXTENSIONS = [
  ['failureCause', 0],
  ['resetCipherState', 0],
] as const satisfies readonly (readonly [keyof SecpkgUserFunctionTable, number])[];

/** Member names of SECPKG_USER_FUNCTION_TABLE in header order, with the version that defines each. */
export const USER_TABLE_MEMBERS = [
  ['instanceInit', 0x10000],
  ['initUserModeContext', 0x10000],
  ['makeSignature', 0x10000],
  ['verifySignature', 0x10000],
  ['sealMessage', 0x10000],
  ['unsealMessage', 0x10000],
  ['getContextToken', 0x10000],
  ['queryContextAttributes', 0x10000],
  ['completeAuthToken', 0x10000],
  ['deleteUserModeContext', 0x10000],
  ['formatCredentials', 0x10000],
  ['marshallSupplementalCreds', 0x10000],
  ['exportContext', 0x10000],
  ['importContext', 0x10000],
  ['marshalAttributeData', 0x20000],
] as const satisfies readonly (readonly [keyof SecpkgUserFunctionTable, number])[];
