/**
 * secur32's answers as sspkit statuses. A SECURITY_STATUS (SEC_E_*, SEC_I_*, facility 9) passes through
 * unchanged, known or not: the provider reports what Windows said. An NTSTATUS (severity bits 11,
 * 0xC0000000) is not a valid SSPI answer — Windows' secur32 converts them, Wine 8's sometimes leaks them
 * (AcquireCredentialsHandle of Kerberos with a wrong password returns STATUS_UNSUCCESSFUL) — so it is
 * mapped to the closest SEC_E value, and the raw value is kept in the result's `cause`.
 */
import { NtStatus, SecStatus, formatStatus } from '@sspkit/core';

/** The SSPI call a status came from: the same NTSTATUS means different things in different calls. */
export type Secur32Call = 'acquire' | 'acquire-identity' | 'handshake' | 'message' | 'query' | 'other';

/** A status as the provider returns it, with the raw value and why it was changed when it was. */
export interface MappedStatus {
  readonly status: number;
  readonly raw: number;
  /** Set when `status` differs from `raw`: what was mapped and why (never a secret). */
  readonly note?: string;
}

/**
 * NTSTATUS → SEC_E, by the meaning the NTSTATUS has in ntstatus.h and what Windows' own secur32
 * returns for that condition (Microsoft Learn, each function's return values).
 */
const NT_TO_SEC: ReadonlyMap<number, number> = new Map([
  [NtStatus.STATUS_NOT_IMPLEMENTED, SecStatus.SEC_E_UNSUPPORTED_FUNCTION],
  [NtStatus.STATUS_NOT_SUPPORTED, SecStatus.SEC_E_UNSUPPORTED_FUNCTION],
  [NtStatus.STATUS_INVALID_HANDLE, SecStatus.SEC_E_INVALID_HANDLE],
  [NtStatus.STATUS_INVALID_PARAMETER, SecStatus.SEC_E_INVALID_PARAMETER],
  [NtStatus.STATUS_NO_MEMORY, SecStatus.SEC_E_INSUFFICIENT_MEMORY],
  [NtStatus.STATUS_BUFFER_TOO_SMALL, SecStatus.SEC_E_BUFFER_TOO_SMALL],
  [NtStatus.STATUS_ACCESS_DENIED, SecStatus.SEC_E_LOGON_DENIED],
  [NtStatus.STATUS_NO_SUCH_USER, SecStatus.SEC_E_LOGON_DENIED],
  [NtStatus.STATUS_WRONG_PASSWORD, SecStatus.SEC_E_LOGON_DENIED],
  [NtStatus.STATUS_LOGON_FAILURE, SecStatus.SEC_E_LOGON_DENIED],
]);

/**
 * STATUS_UNSUCCESSFUL says nothing but "failed". From AcquireCredentialsHandle with an explicit
 * identity it means the logon with that password failed (Wine asks the KDC for a ticket there; a
 * wrong password is the usual cause): SEC_E_LOGON_DENIED, what Windows answers for the same password
 * at the first InitializeSecurityContext. Without an identity the package found no credentials to
 * use: SEC_E_NO_CREDENTIALS. Anywhere else the closest is SEC_E_INTERNAL_ERROR.
 */
function unsuccessful(call: Secur32Call): number {
  if (call === 'acquire-identity') return SecStatus.SEC_E_LOGON_DENIED;
  return call === 'acquire' ? SecStatus.SEC_E_NO_CREDENTIALS : SecStatus.SEC_E_INTERNAL_ERROR;
}

/** True for an NTSTATUS error or warning value (severity bits set, not facility 9's SEC_E space). */
export function isNtStatusError(raw: number): boolean {
  const v = raw >>> 0;
  return (v & 0xc0000000) >>> 0 === 0xc0000000;
}

/** Maps secur32's return value for `call`. */
export function mapSecur32Status(raw: number, call: Secur32Call): MappedStatus {
  const v = raw >>> 0;
  if (!isNtStatusError(v)) return { status: v, raw: v };
  const status = v === NtStatus.STATUS_UNSUCCESSFUL ? unsuccessful(call) : (NT_TO_SEC.get(v) ?? unsuccessful(call));
  return {
    status,
    raw: v,
    note: `secur32 returned the NTSTATUS ${formatStatus(v)}, not a SECURITY_STATUS; reported as ${formatStatus(status)}`,
  };
}

/** The mapping table, for the README and the tests: every NTSTATUS the provider knows, with its SEC_E value. */
export function ntStatusMappings(call: Secur32Call): readonly (readonly [number, number])[] {
  return [[NtStatus.STATUS_UNSUCCESSFUL, unsuccessful(call)], ...NT_TO_SEC.entries()];
}
