/** The FFI layer's public surface (the only code in sspkit that touches koffi). */
export { isAvailable } from './library.js';
export type { Availability } from './library.js';
export { NativeHandle, ReleasedHandleError, finalizedHandleCount } from './handles.js';
export { importName, displayName, localName, localNameAsync } from './names.js';
export type { NameType } from './names.js';
export { acquireCredFrom, acquireCredWithPassword, inlineStore, inquireCred } from './creds.js';
export { NO_CLIENT_KEYS } from './krb5.js';
export type { CredUsage, GssMech } from './creds.js';
export {
  initSecContext,
  acceptSecContext,
  acceptSecContextAsync,
  contextSourceName,
  inquireContext,
  exportSecContext,
  importSecContext,
  sessionKey,
} from './context.js';
export type { AcceptStep } from './context.js';
export type { ChannelBindings } from './bindings.js';
export {
  getMic,
  verifyMic,
  wrap,
  unwrap,
  wrapSizeLimit,
  wrapIov,
  unwrapIov,
  wrapIovLength,
  IovType,
} from './message.js';
export type { IovSegment } from './message.js';
export { GssError, isGssErrorObject } from './errors.js';
export { mapGssStatus, MappedStatus, Krb5Minor } from './status-map.js';
export type { MappedStatusName } from './status-map.js';
export { GssRoutine, GssSupplementary } from './major.js';
export { sharedGate, localGate, nativeCallStats, configureSharedGate, DEFAULT_ASYNC_LIMIT } from './queue.js';
export { oidToDotted } from './oids.js';
export { GssFlag } from './flags.js';
export { lookupLocalAccount, lookupLocalAccountAsync } from './account.js';
export { accountLookupIsLocal, useNssConfigForTests } from './nss.js';
export type { LocalAccount } from './account.js';
export { nameAttributes } from './name-attributes.js';
export { pinServiceTicket } from './ticket-pin.js';
export { exportLucid } from './lucid.js';
export type { LucidContext, LucidKey } from './lucid.js';
export type { TicketPin } from './ticket-pin.js';
