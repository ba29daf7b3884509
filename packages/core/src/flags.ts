/**
 * Request/return flags and capability bits, exact values from sspi.h.
 * The ISC and ASC sets agree only partly, so the four sets are kept apart.
 */

/** ISC_REQ_* — InitializeSecurityContext fContextReq. */
export const IscReq = {
  DELEGATE: 0x1,
  MUTUAL_AUTH: 0x2,
  REPLAY_DETECT: 0x4,
  SEQUENCE_DETECT: 0x8,
  CONFIDENTIALITY: 0x10,
  USE_SESSION_KEY: 0x20,
  PROMPT_FOR_CREDS: 0x40,
  USE_SUPPLIED_CREDS: 0x80,
  ALLOCATE_MEMORY: 0x100,
  USE_DCE_STYLE: 0x200,
  DATAGRAM: 0x400,
  CONNECTION: 0x800,
  CALL_LEVEL: 0x1000,
  FRAGMENT_SUPPLIED: 0x2000,
  EXTENDED_ERROR: 0x4000,
  STREAM: 0x8000,
  INTEGRITY: 0x10000,
  IDENTIFY: 0x20000,
  NULL_SESSION: 0x40000,
  MANUAL_CRED_VALIDATION: 0x80000,
  RESERVED1: 0x100000,
  FRAGMENT_TO_FIT: 0x200000,
  FORWARD_CREDENTIALS: 0x400000,
  NO_INTEGRITY: 0x800000,
  USE_HTTP_STYLE: 0x1000000,
  /** Digest HTTP mode. Not in SDK sspi.h; the bit documented for ASC_REQ_HTTP (AcceptSecurityContext (Digest)). */
  HTTP: 0x10000000,
  UNVERIFIED_TARGET_NAME: 0x20000000,
  CONFIDENTIALITY_ONLY: 0x40000000,
} as const;

/** ISC_RET_* — InitializeSecurityContext pfContextAttr. */
export const IscRet = {
  DELEGATE: 0x1,
  MUTUAL_AUTH: 0x2,
  REPLAY_DETECT: 0x4,
  SEQUENCE_DETECT: 0x8,
  CONFIDENTIALITY: 0x10,
  USE_SESSION_KEY: 0x20,
  USED_COLLECTED_CREDS: 0x40,
  USED_SUPPLIED_CREDS: 0x80,
  ALLOCATED_MEMORY: 0x100,
  USED_DCE_STYLE: 0x200,
  DATAGRAM: 0x400,
  CONNECTION: 0x800,
  INTERMEDIATE_RETURN: 0x1000,
  CALL_LEVEL: 0x2000,
  EXTENDED_ERROR: 0x4000,
  STREAM: 0x8000,
  INTEGRITY: 0x10000,
  IDENTIFY: 0x20000,
  NULL_SESSION: 0x40000,
  MANUAL_CRED_VALIDATION: 0x80000,
  RESERVED1: 0x100000,
  FRAGMENT_ONLY: 0x200000,
  FORWARD_CREDENTIALS: 0x400000,
  USED_HTTP_STYLE: 0x1000000,
  /** Marked INTERNAL in the SDK. */
  NO_ADDITIONAL_TOKEN: 0x2000000,
  /** Marked INTERNAL in the SDK. */
  REAUTHENTICATION: 0x8000000,
  CONFIDENTIALITY_ONLY: 0x40000000,
} as const;

/** ASC_REQ_* — AcceptSecurityContext fContextReq. */
export const AscReq = {
  DELEGATE: 0x1,
  MUTUAL_AUTH: 0x2,
  REPLAY_DETECT: 0x4,
  SEQUENCE_DETECT: 0x8,
  CONFIDENTIALITY: 0x10,
  USE_SESSION_KEY: 0x20,
  SESSION_TICKET: 0x40,
  ALLOCATE_MEMORY: 0x100,
  USE_DCE_STYLE: 0x200,
  DATAGRAM: 0x400,
  CONNECTION: 0x800,
  CALL_LEVEL: 0x1000,
  FRAGMENT_SUPPLIED: 0x2000,
  EXTENDED_ERROR: 0x8000,
  STREAM: 0x10000,
  INTEGRITY: 0x20000,
  LICENSING: 0x40000,
  IDENTIFY: 0x80000,
  ALLOW_NULL_SESSION: 0x100000,
  ALLOW_NON_USER_LOGONS: 0x200000,
  /** Deprecated in the SDK. */
  ALLOW_CONTEXT_REPLAY: 0x400000,
  FRAGMENT_TO_FIT: 0x800000,
  NO_TOKEN: 0x1000000,
  PROXY_BINDINGS: 0x4000000,
  /** Same value as {@link AscReq.HTTP}: a package decides which meaning applies. */
  ALLOW_MISSING_BINDINGS: 0x10000000,
  /** Digest HTTP mode (Microsoft Learn, AcceptSecurityContext (Digest)). */
  HTTP: 0x10000000,
} as const;

/** ASC_RET_* — AcceptSecurityContext pfContextAttr. */
export const AscRet = {
  DELEGATE: 0x1,
  MUTUAL_AUTH: 0x2,
  REPLAY_DETECT: 0x4,
  SEQUENCE_DETECT: 0x8,
  CONFIDENTIALITY: 0x10,
  USE_SESSION_KEY: 0x20,
  SESSION_TICKET: 0x40,
  ALLOCATED_MEMORY: 0x100,
  USED_DCE_STYLE: 0x200,
  DATAGRAM: 0x400,
  CONNECTION: 0x800,
  CALL_LEVEL: 0x2000,
  THIRD_LEG_FAILED: 0x4000,
  EXTENDED_ERROR: 0x8000,
  STREAM: 0x10000,
  INTEGRITY: 0x20000,
  LICENSING: 0x40000,
  IDENTIFY: 0x80000,
  NULL_SESSION: 0x100000,
  ALLOW_NON_USER_LOGONS: 0x200000,
  /** Deprecated in the SDK. */
  ALLOW_CONTEXT_REPLAY: 0x400000,
  FRAGMENT_ONLY: 0x800000,
  NO_TOKEN: 0x1000000,
  /** Marked INTERNAL in the SDK. */
  NO_ADDITIONAL_TOKEN: 0x2000000,
} as const;

/**
 * 64-bit request/return flags. They do not fit fContextReq; they travel in a SECBUFFER_FLAGS
 * buffer (`SEC_FLAGS { unsigned long long Flags }`) whose low 32 bits must be 0.
 */
export const IscReqExt = {
  MESSAGES: 0x1_0000_0000n,
  DEFERRED_CRED_VALIDATION: 0x2_0000_0000n,
  NO_POST_HANDSHAKE_AUTH: 0x4_0000_0000n,
  REUSE_SESSION_TICKETS: 0x8_0000_0000n,
  EXPLICIT_SESSION: 0x10_0000_0000n,
} as const;
/** ISC_RET_* extended flags have the ISC_REQ_* values (sspi.h). @alias */
export const IscRetExt = IscReqExt;
export const AscReqExt = {
  MESSAGES: 0x1_0000_0000n,
  EXPLICIT_SESSION: 0x10_0000_0000n,
} as const;
export const AscRetExt = {
  MESSAGES: 0x1_0000_0000n,
  REUSE_SESSION_TICKETS: 0x8_0000_0000n,
  EXPLICIT_SESSION: 0x10_0000_0000n,
} as const;

/** SECPKG_FLAG_* — SecPkgInfo.fCapabilities. */
export const SecPkgFlag = {
  INTEGRITY: 0x1,
  PRIVACY: 0x2,
  TOKEN_ONLY: 0x4,
  DATAGRAM: 0x8,
  CONNECTION: 0x10,
  MULTI_REQUIRED: 0x20,
  CLIENT_ONLY: 0x40,
  EXTENDED_ERROR: 0x80,
  IMPERSONATION: 0x100,
  ACCEPT_WIN32_NAME: 0x200,
  STREAM: 0x400,
  NEGOTIABLE: 0x800,
  GSS_COMPATIBLE: 0x1000,
  LOGON: 0x2000,
  ASCII_BUFFERS: 0x4000,
  FRAGMENT: 0x8000,
  MUTUAL_AUTH: 0x10000,
  DELEGATION: 0x20000,
  READONLY_WITH_CHECKSUM: 0x40000,
  RESTRICTED_TOKENS: 0x80000,
  NEGO_EXTENDER: 0x100000,
  NEGOTIABLE2: 0x200000,
  APPCONTAINER_PASSTHROUGH: 0x400000,
  APPCONTAINER_CHECKS: 0x800000,
  CREDENTIAL_ISOLATION_ENABLED: 0x1000000,
  APPLY_LOOPBACK: 0x2000000,
} as const;

/** SECPKG_CRED_* — fCredentialUse. */
export const SecPkgCred = {
  INBOUND: 0x1,
  OUTBOUND: 0x2,
  BOTH: 0x3,
  DEFAULT: 0x4,
  AUTOLOGON_RESTRICTED: 0x10,
  PROCESS_POLICY_ONLY: 0x20,
  KERB_ANCHOR_DS_VERSION: 0x40,
  RESERVED: 0xf0000000,
} as const;

/** SECPKG_CRED_ATTR_* — credential attributes. KDC_NETWORK_SETTINGS is an alias of 3. */
export const SecPkgCredAttr = {
  NAMES: 1,
  SSI_PROVIDER: 2,
  KDC_PROXY_SETTINGS: 3,
  KDC_NETWORK_SETTINGS: 3,
  CERT: 4,
  PAC_BYPASS: 5,
} as const;

/** SECPKG_ATTR_* — context attributes. */
export const SecPkgAttr = {
  SIZES: 0,
  NAMES: 1,
  LIFESPAN: 2,
  DCE_INFO: 3,
  STREAM_SIZES: 4,
  DATAGRAM_SIZES: 4,
  KEY_INFO: 5,
  AUTHORITY: 6,
  PROTO_INFO: 7,
  PASSWORD_EXPIRY: 8,
  SESSION_KEY: 9,
  PACKAGE_INFO: 10,
  USER_FLAGS: 11,
  NEGOTIATION_INFO: 12,
  NATIVE_NAMES: 13,
  FLAGS: 14,
  USE_VALIDATED: 15,
  CREDENTIAL_NAME: 16,
  TARGET_INFORMATION: 17,
  ACCESS_TOKEN: 18,
  TARGET: 19,
  AUTHENTICATION_ID: 20,
  LOGOFF_TIME: 21,
  NEGO_KEYS: 22,
  PROMPTING_NEEDED: 24,
  UNIQUE_BINDINGS: 25,
  ENDPOINT_BINDINGS: 26,
  CLIENT_SPECIFIED_TARGET: 27,
  LAST_CLIENT_TOKEN_STATUS: 30,
  NEGO_PKG_INFO: 31,
  NEGO_STATUS: 32,
  CONTEXT_DELETED: 33,
  DTLS_MTU: 34,
  APPLICATION_PROTOCOL: 35,
  NEGOTIATED_TLS_EXTENSIONS: 36,
  IS_LOOPBACK: 37,
  SUBJECT_SECURITY_ATTRIBUTES: 128,
  SASL_CONTEXT: 0x10000,
  THUNK_ALL: 0x10000,
} as const;

/**
 * SECPKG_ATTR_* values of sspi.h outside the reference's context-attribute list, kept apart so that
 * {@link SecPkgAttr} mirrors that list value for value.
 */
export const SecPkgAttrExtra = {
  /** SECPKG_ATTR_NEGOTIATION_PACKAGE: the package a Negotiate context chose (SecPkgContext_PackageInfo). */
  NEGOTIATION_PACKAGE: 0x80000081,
} as const;

/** SECPKG_INTERFACE_VERSION* — single bits; as a table version, "defined through member N". */
export const SecPkgInterfaceVersion = {
  VERSION: 0x00010000,
  VERSION_2: 0x00020000,
  VERSION_3: 0x00040000,
  VERSION_4: 0x00080000,
  VERSION_5: 0x00100000,
  VERSION_6: 0x00200000,
  VERSION_7: 0x00400000,
  VERSION_8: 0x00800000,
  VERSION_9: 0x01000000,
  VERSION_10: 0x02000000,
  VERSION_11: 0x04000000,
} as const;

/** SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION* — SecurityFunctionTableW.dwVersion. */
export const SspiInterfaceVersion = {
  VERSION: 1,
  VERSION_2: 2,
  VERSION_3: 3,
  VERSION_4: 4,
  VERSION_5: 5,
} as const;

/** TargetDataRep values. */
export const DataRep = {
  SECURITY_NATIVE_DREP: 0x10,
  SECURITY_NETWORK_DREP: 0x0,
} as const;

/** SECPKG_CONTEXT_EXPORT_* — ExportSecurityContext fFlags. */
export const ContextExport = {
  RESET_NEW: 0x1,
  DELETE_OLD: 0x2,
  TO_KERNEL: 0x4,
} as const;

/** SECQOP_* — quality of protection values. */
export const SecQop = {
  WRAP_NO_ENCRYPT: 0x80000001,
  WRAP_OOB_DATA: 0x40000000,
} as const;

/** SecPkgContext_NegotiationInfo.NegotiationState. */
export const NegotiationState = {
  COMPLETE: 0,
  OPTIMISTIC: 1,
  IN_PROGRESS: 2,
  DIRECT: 3,
  TRY_MULTICRED: 4,
} as const;

/** SECPKG_PARAMETERS.MachineState bits. */
export const MachineState = {
  ENCRYPTION_PERMITTED: 0x01,
  STRONG_ENCRYPTION_PERMITTED: 0x02,
  DOMAIN_CONTROLLER: 0x04,
  WORKSTATION: 0x08,
  STANDALONE: 0x10,
} as const;

/** SEC_WINNT_AUTH_IDENTITY flags and versions. */
export const SecWinntAuthIdentityFlag = {
  ANSI: 0x1,
  UNICODE: 0x2,
  VERSION_EX: 0x200,
  VERSION_EX2: 0x201,
} as const;

/** SECPKG_EXTENDED_INFORMATION_CLASS values (LSA table #23/#26). */
export const SecPkgExtendedInformationClass = {
  GssInfo: 1,
  ContextThunks: 2,
  MutualAuthLevel: 3,
  WowClientDll: 4,
  ExtraOids: 5,
} as const;

/** GetUserInfo Flags. */
export const SecPkgUserInfoFlag = {
  UNDERSTANDS_LONG_NAMES: 1,
  NO_LONG_NAMES: 2,
} as const;

/** SecPkgInfo.wRPCID for packages without a DCE RPC id. */
export const SECPKG_ID_NONE = 0xffff;

/**
 * Names of the bits set in `value` according to `table`, lowest bit first. Aliases (two names for
 * one bit) are both listed only if `aliases` is true; otherwise the first name wins. Bits no name
 * covers come out as hex.
 */
export function flagNames(table: Readonly<Record<string, number>>, value: number, aliases = false): string[] {
  const out: string[] = [];
  let rest = value >>> 0;
  for (let bit = 0; bit < 32; bit++) {
    const mask = (2 ** bit) >>> 0;
    if ((rest & mask) === 0) continue;
    const names = Object.entries(table)
      .filter(([, v]) => v === mask)
      .map(([k]) => k);
    if (names.length === 0) continue;
    out.push(...(aliases ? names : names.slice(0, 1)));
    rest = (rest & ~mask) >>> 0;
  }
  if (rest !== 0) out.push(`0x${rest.toString(16)}`);
  return out;
}

/** Whether every bit of `mask` is set in `value` (unsigned). */
export function hasFlags(value: number, mask: number): boolean {
  return (value & mask) >>> 0 === mask >>> 0;
}
