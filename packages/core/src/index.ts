// The public surface of @sspkit/core: named exports only.
export {
  SecStatus,
  SecStatusAlias,
  NtStatus,
  statusName,
  statusFromName,
  isSuccess,
  isKnownStatus,
  formatStatus,
} from './status.js';
export type { SecStatusName, SecurityStatus, StatusName } from './status.js';
export { allStatuses, describeStatus } from './status-text.js';
export type { StatusInfo } from './status-text.js';
export { SspiError, isSspiError } from './errors.js';
export {
  IscReq,
  IscRet,
  AscReq,
  AscRet,
  IscReqExt,
  IscRetExt,
  AscReqExt,
  AscRetExt,
  SecPkgFlag,
  SecPkgCred,
  SecPkgCredAttr,
  SecPkgAttr,
  SecPkgAttrExtra,
  SecPkgInterfaceVersion,
  SspiInterfaceVersion,
  DataRep,
  ContextExport,
  SecQop,
  NegotiationState,
  MachineState,
  SecWinntAuthIdentityFlag,
  SecPkgExtendedInformationClass,
  SecPkgUserInfoFlag,
  SECPKG_ID_NONE,
  flagNames,
  hasFlags,
} from './flags.js';
export {
  SecBufferType,
  SecBufferFlag,
  SECBUFFER_VERSION,
  secBuffer,
  secBufferDesc,
  bufferTypeWord,
  splitBufferType,
  isReadOnly,
  isChecksummed,
  findBuffer,
  findBuffers,
  isValidBufferDesc,
  writeBuffer,
} from './buffers.js';
export { concat, constantTimeEqual, wipe } from './bytes.js';
export { splitChallenges } from './challenges.js';
export { MemoryReplayStore } from './replay-store.js';
export type { MemoryReplayStoreOptions, ReplayStore, ReplayVerdict } from './replay-store.js';
export type { Challenge } from './challenges.js';
export { decodeSecChannelBindings, encodeSecChannelBindings } from './channel-bindings.js';
export type { SecChannelBindings, SecChannelBindingsInput, SecChannelBindingsResult } from './channel-bindings.js';
export type { SecBuffer, SecBufferDesc } from './buffers.js';
export { TIMESTAMP_FOREVER, timeStampFromMillis, millisFromTimeStamp, contextAttribute } from './types.js';
export type {
  TimeStamp,
  LsaSecHandle,
  Luid,
  Out,
  SecPkgInfo,
  SecWinntAuthIdentity,
  AuthData,
  SecGetKeyFn,
  AccessToken,
  SecPkgContextSizes,
  SecPkgContextStreamSizes,
  SecPkgContextLifespan,
  SecPkgContextNativeNames,
  SecPkgContextKeyInfo,
  SecPkgContextNegotiationInfo,
  SecPkgContextNames,
  SecPkgContextSessionKey,
  SecPkgContextPackageInfo,
  SecPkgContextFlags,
  SecPkgContextAuthority,
  SecPkgContextAccessToken,
  ContextAttributeMap,
  ContextAttribute,
  ContextAttributeValue,
  CredentialAttributeMap,
  CredentialAttributeValue,
  MaybePromise,
} from './types.js';
export { LSA_TABLE_MEMBERS, USER_TABLE_EXTENSIONS, USER_TABLE_MEMBERS } from './tables.js';
export type {
  SecpkgFunctionTable,
  SecpkgUserFunctionTable,
  SecurityPackageModule,
  SpModeInitializeResult,
  LsaModeContextResult,
  AcquireCredentialsResult,
  StatusWith,
  LsaDispatchTable,
  LsaSecpkgFunctionTable,
  SecpkgDllFunctions,
  SecpkgParameters,
  LocatedPackage,
  ClientRequest,
  LogonUserResult,
  CallPackageResult,
  SecpkgPrimaryCred,
  SecpkgSupplementalCred,
  SecpkgTargetInfo,
  SecpkgPostLogonUserInfo,
  SecpkgSurrogateLogon,
  SecurityUserData,
} from './tables.js';
export { CredHandle, CtxtHandle } from './handles.js';
export type { ContextSide } from './handles.js';
export { Registry, systemEnvironment } from './registry.js';
export { importPackageModule, resolveModuleSpecifier } from './module-loader.js';
export type { LoadedPackageModule } from './module-loader.js';
export type { RegisteredPackage, LoadReport, RegistryOptions, SecurityEnvironment } from './registry.js';
export { SspiDispatcher } from './dispatcher.js';
export type {
  DispatcherOptions,
  PackageFaultListener,
  AcquireCredentialsParams,
  AddCredentialsParams,
  InitializeParams,
  AcceptParams,
  HandshakeResult,
  ChangePasswordParams,
} from './dispatcher-types.js';
export { ClientContext, ServerContext, clientContext, serverContext, runHandshake } from './convenience.js';
export type { LegRecord, ContextOptions, ClientOptions, StepOptions, SealedMessage } from './convenience.js';
export { createSspi } from './sspi.js';
export type { CreateSspiOptions } from './sspi.js';
