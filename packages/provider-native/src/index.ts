export {
  isAvailable,
  NativeHandle,
  ReleasedHandleError,
  finalizedHandleCount,
  importName,
  displayName,
  localName,
  acquireCredFrom,
  acquireCredWithPassword,
  inquireCred,
  initSecContext,
  acceptSecContext,
  contextSourceName,
  inquireContext,
  exportSecContext,
  importSecContext,
  sessionKey,
  getMic,
  verifyMic,
  wrap,
  unwrap,
  wrapSizeLimit,
  wrapIov,
  unwrapIov,
  wrapIovLength,
  IovType,
  GssError,
  isGssErrorObject,
  displayStatus,
  mapGssStatus,
  MappedStatus,
  Krb5Minor,
  GssRoutine,
  GssSupplementary,
  GssFlag,
  AsyncGate,
  sharedGate,
  configureSharedGate,
  localGate,
  nativeCallStats,
  DEFAULT_ASYNC_LIMIT,
  DEFAULT_ASYNC_BURST,
  oidToDotted,
  pinServiceTicket,
  inlineStore,
  NO_CLIENT_KEYS,
} from './ffi/index.js';
export type {
  Availability,
  AcquiredCred,
  CredStore,
  CredUsage,
  GssMech,
  NameType,
  AcceptStep,
  ContextInfo,
  ContextStep,
  ChannelBindings,
  IovSegment,
  MappedStatusName,
  TicketPin,
} from './ffi/index.js';
export { kerberosModule } from './kerberos/index.js';
export { negotiateModule } from './negotiate/index.js';
export { nativeModule, nativeTables } from './adapter/tables.js';
export { configureKdcDeadline, kdcDeadlineStats, DEFAULT_KDC_TIMEOUT_MS, DEFAULT_MAX_ABANDONED, KdcDeadlineError } from './adapter/deadline.js';
export type { NativeKind } from './adapter/info.js';
export { packageInfo } from './adapter/info.js';
export type { NativeAuthData } from './adapter/credentials.js';
export { lastNativeError } from './adapter/failure.js';
export { parseTarget } from './adapter/target.js';
export { parseSecChannelBindings, secChannelBindings } from './adapter/bindings.js';
export { ISC_REQ_TO_GSS, GSS_TO_ISC_RET, GSS_TO_ASC_RET, gssFlagsFromIscReq, iscRetFromGss, ascRetFromGss } from './adapter/flag-table.js';
export { accountLookupIsLocal, lookupLocalAccount, lookupLocalAccountAsync, nameAttributes, nssIsLocal, useNssConfigForTests } from './ffi/index.js';
export { decodeLogonInfo, LOGON_EXTRA_SIDS, LOGON_RESOURCE_GROUPS, PacDecodeError } from './pac/logon-info.js';
export type { GroupMembership, PacLogonInfo, SidAndAttributes } from './pac/logon-info.js';
export type { LocalAccount, NameAttribute } from './ffi/index.js';
export { spawnAsToken, canSpawnAsOtherUsers } from './process/spawn-as-token.js';
export type { SpawnAsTokenOptions } from './process/spawn-as-token.js';
