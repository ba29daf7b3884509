/** Shared value types of the SSPI contract (sspi.h). */
import type { SecPkgAttr, SecPkgCredAttr } from './flags.js';

/**
 * TimeStamp: a FILETIME (100 ns units since 1601-01-01 UTC) as a bigint, as Windows stores it in a
 * LARGE_INTEGER. Helpers below convert to and from JavaScript time.
 */
export type TimeStamp = bigint;

/** The largest TimeStamp: "never expires" (what Digest reports for its contexts). */
export const TIMESTAMP_FOREVER: TimeStamp = 0x7fffffffffffffffn;

const EPOCH_DIFF_100NS = 116444736000000000n;

/** Converts milliseconds since the Unix epoch to a FILETIME TimeStamp. */
export function timeStampFromMillis(ms: number): TimeStamp {
  return BigInt(Math.trunc(ms)) * 10000n + EPOCH_DIFF_100NS;
}

/** Converts a TimeStamp to milliseconds since the Unix epoch (Infinity for TIMESTAMP_FOREVER). */
export function millisFromTimeStamp(ts: TimeStamp): number {
  if (ts >= TIMESTAMP_FOREVER) return Number.POSITIVE_INFINITY;
  return Number((ts - EPOCH_DIFF_100NS) / 10000n);
}

/** LSA_SEC_HANDLE: an opaque, package-owned handle value (ULONG_PTR). Never shown to applications. */
export type LsaSecHandle = number | bigint;

/** LUID: a locally unique identifier (logon session ids). */
export interface Luid {
  readonly lowPart: number;
  readonly highPart: number;
}

/** An out parameter for the few per-message calls that return a second value (pfQOP). */
export interface Out<T> {
  value: T;
}

/** SecPkgInfoW: what EnumerateSecurityPackages lists for each package. */
export interface SecPkgInfo {
  /** fCapabilities: SECPKG_FLAG_* bits. */
  readonly capabilities: number;
  /** wVersion. */
  readonly version: number;
  /** wRPCID (SECPKG_ID_NONE 0xFFFF when the package has no DCE RPC id). */
  readonly rpcId: number;
  /** cbMaxToken: the largest handshake token the package produces. */
  readonly maxToken: number;
  readonly name: string;
  readonly comment: string;
}

/**
 * SEC_WINNT_AUTH_IDENTITY: explicit user credentials for AcquireCredentialsHandle. The password is a
 * secret: packages keep it only as long as they need it and never put it in an error or a log.
 */
export interface SecWinntAuthIdentity {
  readonly user?: string;
  readonly domain?: string;
  readonly password?: string;
  /** SEC_WINNT_AUTH_IDENTITY_EX PackageList (Negotiate). */
  readonly packageList?: string;
}

/** pAuthData: a SEC_WINNT_AUTH_IDENTITY or a package-specific object (keytab, ccache, NT hash…). */
export type AuthData = SecWinntAuthIdentity | object;

/** SEC_GET_KEY_FN, kept for signature fidelity: (argument, principal, keyVersion) → key. */
export type SecGetKeyFn = (
  argument: unknown,
  principal: string | undefined,
  keyVersion: number,
) => { key?: Uint8Array; status: number };

/**
 * The access token a server-side context yields (QuerySecurityContextToken / SpGetContextToken).
 * In Node there is no kernel token object: this is the identity the package authenticated.
 */
export interface AccessToken {
  /** The package that authenticated the user. */
  readonly authenticationPackage: string;
  /** The user's name as the package knows it (`alice`, `alice@REALM`). */
  readonly user: string;
  /** Domain or realm, where the package has one. */
  readonly domain?: string;
  /** Group names (or SIDs) the package knows the user to belong to. */
  readonly groups: readonly string[];
  /** The local account the identity maps to, where one does (uid/gid as on POSIX). */
  readonly localAccount?: {
    readonly name: string;
    readonly uid: number;
    readonly gid: number;
    readonly groups: readonly number[];
  };
  /** Further facts the package vouches for (e.g. PAC data, workstation), by name. */
  readonly attributes?: Readonly<Record<string, string | number | boolean | readonly string[]>>;
}

/** SecPkgContext_Sizes. */
export interface SecPkgContextSizes {
  readonly maxToken: number;
  readonly maxSignature: number;
  readonly blockSize: number;
  readonly securityTrailer: number;
}

/** SecPkgContext_StreamSizes. */
export interface SecPkgContextStreamSizes {
  readonly header: number;
  readonly trailer: number;
  readonly maximumMessage: number;
  readonly buffers: number;
  readonly blockSize: number;
}

/** SecPkgContext_Lifespan. */
export interface SecPkgContextLifespan {
  readonly start: TimeStamp;
  readonly expiry: TimeStamp;
}

/** SecPkgContext_NativeNamesW. */
export interface SecPkgContextNativeNames {
  readonly clientName: string;
  readonly serverName: string;
}

/** SecPkgContext_KeyInfoW. */
export interface SecPkgContextKeyInfo {
  readonly signatureAlgorithmName: string;
  readonly encryptAlgorithmName: string;
  readonly keySize: number;
  readonly signatureAlgorithm: number;
  readonly encryptAlgorithm: number;
}

/** SecPkgContext_NegotiationInfoW. */
export interface SecPkgContextNegotiationInfo {
  readonly packageInfo: SecPkgInfo;
  readonly negotiationState: number;
}

/** SecPkgContext_NamesW: the client's name, `DOMAIN\\user` or `user@REALM`, on both sides. */
export interface SecPkgContextNames {
  readonly userName: string;
}

/** SecPkgContext_SessionKey: a copy of the session key (the caller may wipe it). */
export interface SecPkgContextSessionKey {
  readonly sessionKey: Uint8Array;
}

/** SecPkgContext_PackageInfoW: the package that owns the context. */
export interface SecPkgContextPackageInfo {
  readonly packageInfo: SecPkgInfo;
}

/** SecPkgContext_Flags: the ISC_RET_* / ASC_RET_* flags of the last handshake leg. */
export interface SecPkgContextFlags {
  readonly flags: number;
}

/** SecPkgContext_AuthorityW: the authority (realm, domain) that authenticated the client. */
export interface SecPkgContextAuthority {
  readonly authorityName: string;
}

/** SecPkgContext_AccessToken: in Node, the identity itself (see {@link AccessToken}). */
export interface SecPkgContextAccessToken {
  readonly accessToken: AccessToken;
}

/**
 * The value type of each context attribute, by SECPKG_ATTR_* id (the keys are the values of
 * `SecPkgAttr`). `queryContextAttributes(ctx, SecPkgAttr.NAMES).buffer` is a
 * {@link SecPkgContextNames}, so a misspelled field fails to compile; a package builds its answer
 * with `contextAttribute(SecPkgAttr.NAMES, { userName })` for the same check. Attributes not listed
 * come back as `unknown`: the package's own documented shape.
 */
export interface ContextAttributeMap {
  [SecPkgAttr.SIZES]: SecPkgContextSizes;
  [SecPkgAttr.NAMES]: SecPkgContextNames;
  [SecPkgAttr.LIFESPAN]: SecPkgContextLifespan;
  [SecPkgAttr.STREAM_SIZES]: SecPkgContextStreamSizes;
  [SecPkgAttr.KEY_INFO]: SecPkgContextKeyInfo;
  [SecPkgAttr.AUTHORITY]: SecPkgContextAuthority;
  [SecPkgAttr.SESSION_KEY]: SecPkgContextSessionKey;
  [SecPkgAttr.PACKAGE_INFO]: SecPkgContextPackageInfo;
  [SecPkgAttr.NEGOTIATION_INFO]: SecPkgContextNegotiationInfo;
  [SecPkgAttr.NATIVE_NAMES]: SecPkgContextNativeNames;
  [SecPkgAttr.FLAGS]: SecPkgContextFlags;
  [SecPkgAttr.ACCESS_TOKEN]: SecPkgContextAccessToken;
}

/**
 * A package's successful answer to QueryContextAttributes for `attribute`, type-checked against
 * {@link ContextAttributeMap}: `return contextAttribute(SecPkgAttr.SIZES, { maxToken, ... })`.
 */
export function contextAttribute<A extends keyof ContextAttributeMap>(
  _attribute: A,
  buffer: ContextAttributeMap[A],
): { status: 0; buffer: ContextAttributeMap[A] } {
  return { status: 0, buffer };
}

/** A context attribute number, known (a key of ContextAttributeMap) or not. */
export type ContextAttribute = number;

/** The value type for a context attribute. */
export type ContextAttributeValue<A extends number> = A extends keyof ContextAttributeMap
  ? ContextAttributeMap[A]
  : unknown;

/** Credential attribute values by SECPKG_CRED_ATTR_* id (SecPkgCredentials_NamesW for NAMES). */
export interface CredentialAttributeMap {
  [SecPkgCredAttr.NAMES]: { readonly userName: string };
}

/** The value type for a credential attribute. */
export type CredentialAttributeValue<A extends number> = A extends keyof CredentialAttributeMap
  ? CredentialAttributeMap[A]
  : unknown;

/** A value or a promise of it: slots that may wait on the network may answer either way. */
export type MaybePromise<T> = T | Promise<T>;
