/**
 * SECURITY_STATUS values, exactly as winerror.h defines them (FACILITY_SECURITY, 0x0009).
 *
 * Values are kept as the unsigned 32-bit numbers the header prints (`0x80090308`), so that
 * `switch (status) { case SecStatus.SEC_E_INVALID_TOKEN: … }` narrows and reads like C. A negative
 * (signed LONG) value from a native boundary is normalised with `>>> 0` by every helper here.
 * Test for success with {@link isSuccess}, never with `status >= 0`.
 */
export const SecStatus = {
  SEC_E_OK: 0x00000000,
  SEC_E_INSUFFICIENT_MEMORY: 0x80090300,
  SEC_E_INVALID_HANDLE: 0x80090301,
  SEC_E_UNSUPPORTED_FUNCTION: 0x80090302,
  SEC_E_TARGET_UNKNOWN: 0x80090303,
  SEC_E_INTERNAL_ERROR: 0x80090304,
  SEC_E_SECPKG_NOT_FOUND: 0x80090305,
  SEC_E_NOT_OWNER: 0x80090306,
  SEC_E_CANNOT_INSTALL: 0x80090307,
  SEC_E_INVALID_TOKEN: 0x80090308,
  SEC_E_CANNOT_PACK: 0x80090309,
  SEC_E_QOP_NOT_SUPPORTED: 0x8009030a,
  SEC_E_NO_IMPERSONATION: 0x8009030b,
  SEC_E_LOGON_DENIED: 0x8009030c,
  SEC_E_UNKNOWN_CREDENTIALS: 0x8009030d,
  SEC_E_NO_CREDENTIALS: 0x8009030e,
  SEC_E_MESSAGE_ALTERED: 0x8009030f,
  SEC_E_OUT_OF_SEQUENCE: 0x80090310,
  SEC_E_NO_AUTHENTICATING_AUTHORITY: 0x80090311,
  SEC_I_CONTINUE_NEEDED: 0x00090312,
  SEC_I_COMPLETE_NEEDED: 0x00090313,
  SEC_I_COMPLETE_AND_CONTINUE: 0x00090314,
  SEC_I_LOCAL_LOGON: 0x00090315,
  SEC_I_GENERIC_EXTENSION_RECEIVED: 0x00090316,
  SEC_E_BAD_PKGID: 0x80090316,
  SEC_E_CONTEXT_EXPIRED: 0x80090317,
  SEC_I_CONTEXT_EXPIRED: 0x00090317,
  SEC_E_INCOMPLETE_MESSAGE: 0x80090318,
  SEC_E_INCOMPLETE_CREDENTIALS: 0x80090320,
  SEC_I_INCOMPLETE_CREDENTIALS: 0x00090320,
  SEC_E_BUFFER_TOO_SMALL: 0x80090321,
  SEC_I_RENEGOTIATE: 0x00090321,
  SEC_E_WRONG_PRINCIPAL: 0x80090322,
  SEC_I_NO_LSA_CONTEXT: 0x00090323,
  SEC_E_TIME_SKEW: 0x80090324,
  SEC_E_UNTRUSTED_ROOT: 0x80090325,
  SEC_E_ILLEGAL_MESSAGE: 0x80090326,
  SEC_E_CERT_UNKNOWN: 0x80090327,
  SEC_E_CERT_EXPIRED: 0x80090328,
  SEC_E_ENCRYPT_FAILURE: 0x80090329,
  SEC_E_DECRYPT_FAILURE: 0x80090330,
  SEC_E_ALGORITHM_MISMATCH: 0x80090331,
  SEC_E_SECURITY_QOS_FAILED: 0x80090332,
  SEC_E_UNFINISHED_CONTEXT_DELETED: 0x80090333,
  SEC_E_NO_TGT_REPLY: 0x80090334,
  SEC_E_NO_IP_ADDRESSES: 0x80090335,
  SEC_E_WRONG_CREDENTIAL_HANDLE: 0x80090336,
  SEC_E_CRYPTO_SYSTEM_INVALID: 0x80090337,
  SEC_E_MAX_REFERRALS_EXCEEDED: 0x80090338,
  SEC_E_MUST_BE_KDC: 0x80090339,
  SEC_E_STRONG_CRYPTO_NOT_SUPPORTED: 0x8009033a,
  SEC_E_TOO_MANY_PRINCIPALS: 0x8009033b,
  SEC_E_NO_PA_DATA: 0x8009033c,
  SEC_E_PKINIT_NAME_MISMATCH: 0x8009033d,
  SEC_E_SMARTCARD_LOGON_REQUIRED: 0x8009033e,
  SEC_E_SHUTDOWN_IN_PROGRESS: 0x8009033f,
  SEC_E_KDC_INVALID_REQUEST: 0x80090340,
  SEC_E_KDC_UNABLE_TO_REFER: 0x80090341,
  SEC_E_KDC_UNKNOWN_ETYPE: 0x80090342,
  SEC_E_UNSUPPORTED_PREAUTH: 0x80090343,
  SEC_E_DELEGATION_REQUIRED: 0x80090345,
  SEC_E_BAD_BINDINGS: 0x80090346,
  SEC_E_MULTIPLE_ACCOUNTS: 0x80090347,
  SEC_E_NO_KERB_KEY: 0x80090348,
  SEC_E_CERT_WRONG_USAGE: 0x80090349,
  SEC_E_DOWNGRADE_DETECTED: 0x80090350,
  SEC_E_SMARTCARD_CERT_REVOKED: 0x80090351,
  SEC_E_ISSUING_CA_UNTRUSTED: 0x80090352,
  SEC_E_REVOCATION_OFFLINE_C: 0x80090353,
  SEC_E_PKINIT_CLIENT_FAILURE: 0x80090354,
  SEC_E_SMARTCARD_CERT_EXPIRED: 0x80090355,
  SEC_E_NO_S4U_PROT_SUPPORT: 0x80090356,
  SEC_E_CROSSREALM_DELEGATION_FAILURE: 0x80090357,
  SEC_E_REVOCATION_OFFLINE_KDC: 0x80090358,
  SEC_E_ISSUING_CA_UNTRUSTED_KDC: 0x80090359,
  SEC_E_KDC_CERT_EXPIRED: 0x8009035a,
  SEC_E_KDC_CERT_REVOKED: 0x8009035b,
  SEC_I_SIGNATURE_NEEDED: 0x0009035c,
  SEC_E_INVALID_PARAMETER: 0x8009035d,
  SEC_E_DELEGATION_POLICY: 0x8009035e,
  SEC_E_POLICY_NLTM_ONLY: 0x8009035f,
  SEC_I_NO_RENEGOTIATION: 0x00090360,
  SEC_E_NO_CONTEXT: 0x80090361,
  SEC_E_PKU2U_CERT_FAILURE: 0x80090362,
  SEC_E_MUTUAL_AUTH_FAILED: 0x80090363,
  SEC_I_MESSAGE_FRAGMENT: 0x00090364,
  SEC_E_ONLY_HTTPS_ALLOWED: 0x80090365,
  SEC_I_CONTINUE_NEEDED_MESSAGE_OK: 0x00090366,
  SEC_E_APPLICATION_PROTOCOL_MISMATCH: 0x80090367,
  SEC_I_ASYNC_CALL_PENDING: 0x00090368,
  SEC_E_INVALID_UPN_NAME: 0x80090369,
  SEC_E_EXT_BUFFER_TOO_SMALL: 0x8009036a,
  SEC_E_INSUFFICIENT_BUFFERS: 0x8009036b,
} as const;

/** Header aliases: second names for values already in {@link SecStatus}. */
export const SecStatusAlias = {
  SEC_E_NO_SPM: SecStatus.SEC_E_INTERNAL_ERROR,
  SEC_E_NOT_SUPPORTED: SecStatus.SEC_E_UNSUPPORTED_FUNCTION,
} as const;

/**
 * NTSTATUS values (ntstatus.h) that SSP/AP packages return where Microsoft documents it (e.g.
 * AcceptSecurityContext (Digest)), and those an SSPI implementation leaks in place of a SECURITY_STATUS
 * (Wine's secur32 does; @sspkit/provider-windows maps them to the closest SEC_E value).
 */
export const NtStatus = {
  STATUS_SUCCESS: 0x00000000,
  STATUS_UNSUCCESSFUL: 0xc0000001,
  STATUS_NOT_IMPLEMENTED: 0xc0000002,
  STATUS_INVALID_HANDLE: 0xc0000008,
  STATUS_INVALID_PARAMETER: 0xc000000d,
  STATUS_NO_MEMORY: 0xc0000017,
  STATUS_ACCESS_DENIED: 0xc0000022,
  STATUS_BUFFER_TOO_SMALL: 0xc0000023,
  STATUS_NO_SUCH_USER: 0xc0000064,
  STATUS_WRONG_PASSWORD: 0xc000006a,
  STATUS_LOGON_FAILURE: 0xc000006d,
  STATUS_NOT_SUPPORTED: 0xc00000bb,
} as const;

export type SecStatusName = keyof typeof SecStatus;
/** A status's name as {@link statusName} gives it: a SEC_E_/SEC_I_ name, an NTSTATUS name, or hex. */
export type StatusName = SecStatusName | keyof typeof NtStatus | `0x${string}`;
/** A SECURITY_STATUS or NTSTATUS value (unsigned 32-bit view). */
export type SecurityStatus = number;

const names = new Map<number, StatusName>();
for (const [name, value] of Object.entries(NtStatus)) names.set(value, name as keyof typeof NtStatus);
// SecStatus last so SEC_E_OK wins over STATUS_SUCCESS for 0.
for (const [name, value] of Object.entries(SecStatus)) names.set(value, name as SecStatusName);

/** The canonical symbolic name of a status (`statusName(0x80090310) === 'SEC_E_OUT_OF_SEQUENCE'`). */
export function statusName(status: number): StatusName {
  const value = status >>> 0;
  return names.get(value) ?? `0x${value.toString(16).toUpperCase().padStart(8, '0')}`;
}

/** Whether the value is a status this library knows by name. */
export function isKnownStatus(status: number): boolean {
  return names.has(status >>> 0);
}

/** The SEC_SUCCESS macro: true for SEC_E_OK and every informational SEC_I_* code. */
export function isSuccess(status: number): boolean {
  return status >>> 31 === 0;
}

/** The status as an upper-case 8-digit hex string (`0x80090308`). */
export function formatStatus(status: number): string {
  return `0x${(status >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}

/** Looks a status up by name (aliases accepted, case-insensitive); undefined when unknown. */
export function statusFromName(name: string): number | undefined {
  const key = name.trim().toUpperCase();
  const tables: Readonly<Record<string, number>>[] = [SecStatus, SecStatusAlias, NtStatus];
  for (const table of tables) {
    const v = table[key];
    if (v !== undefined) return v;
  }
  return undefined;
}
