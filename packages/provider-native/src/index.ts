/**
 * @sspkit/provider-native: the Kerberos and Negotiate packages and what a user of them calls. The
 * FFI layer (src/ffi) and the SSP/AP adapter (src/adapter) are internal: the tests and benchmarks
 * import them by relative path.
 */
export { kerberosModule, createKerberosModule } from './kerberos/index.js';
export { negotiateModule, createNegotiateMitModule } from './negotiate/index.js';
export type { NativeModuleOptions } from './adapter/tables.js';
export type { NativeReplayOptions } from './adapter/replay.js';
export { DEFAULT_REPLAY_TIMEOUT_MS } from './adapter/replay.js';
export { DEFAULT_CLOCK_SKEW_SECONDS } from './ffi/clockskew.js';
export { isAvailable, GssError, configureSharedGate, nativeCallStats, DEFAULT_ASYNC_LIMIT } from './ffi/index.js';
export type { Availability } from './ffi/index.js';
export {
  configureKdcDeadline,
  kdcDeadlineStats,
  DEFAULT_KDC_TIMEOUT_MS,
  DEFAULT_MAX_ABANDONED,
  KdcDeadlineError,
} from './adapter/deadline.js';
export type { NativeAuthData } from './adapter/credentials.js';
export { secChannelBindings } from './adapter/bindings.js';
export { lastNativeError } from './adapter/failure.js';
export { setContextTransferKey } from './adapter/packed-context.js';
export { configureAccountCache, clearAccountCache, DEFAULT_ACCOUNT_CACHE } from './adapter/account-cache.js';
export type { AccountCacheOptions } from './adapter/account-cache.js';
export { spawnAsToken, canSpawnAsOtherUsers } from './process/spawn-as-token.js';
export type { SpawnAsTokenOptions } from './process/spawn-as-token.js';
export { decodeLogonInfo, LOGON_EXTRA_SIDS, LOGON_RESOURCE_GROUPS, PacDecodeError } from './pac/logon-info.js';
export type { GroupMembership, PacLogonInfo, SidAndAttributes } from './pac/logon-info.js';
