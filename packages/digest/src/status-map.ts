/** DigestErrorCode → SECURITY_STATUS, one row per code (winerror.h values; the Digest SSP pages of Microsoft Learn). */
import { SecStatus } from '@sspkit/core';
import { DigestErrorCode } from './errors.js';

const STATUS_BY_CODE: Readonly<Record<DigestErrorCode, number>> = {
  [DigestErrorCode.InvalidToken]: SecStatus.SEC_E_INVALID_TOKEN,
  [DigestErrorCode.IllegalMessage]: SecStatus.SEC_E_ILLEGAL_MESSAGE,
  [DigestErrorCode.LogonDenied]: SecStatus.SEC_E_LOGON_DENIED,
  [DigestErrorCode.OutOfSequence]: SecStatus.SEC_E_OUT_OF_SEQUENCE,
  [DigestErrorCode.MessageAltered]: SecStatus.SEC_E_MESSAGE_ALTERED,
  [DigestErrorCode.MutualAuthFailed]: SecStatus.SEC_E_MUTUAL_AUTH_FAILED,
  [DigestErrorCode.StaleNonce]: SecStatus.SEC_E_CONTEXT_EXPIRED,
  [DigestErrorCode.QopNotSupported]: SecStatus.SEC_E_QOP_NOT_SUPPORTED,
  // Reference §7: ASC (Digest) answers SEC_E_SECURITY_QOS_FAILED when fContextReq cannot be met.
  [DigestErrorCode.QosFailed]: SecStatus.SEC_E_SECURITY_QOS_FAILED,
  [DigestErrorCode.InvalidParameter]: SecStatus.SEC_E_INVALID_PARAMETER,
  // A call made before (or after) its turn, e.g. MakeSignature on an unfinished context.
  [DigestErrorCode.InvalidState]: SecStatus.SEC_E_OUT_OF_SEQUENCE,
  [DigestErrorCode.UnknownCredentials]: SecStatus.SEC_E_UNKNOWN_CREDENTIALS,
  [DigestErrorCode.NoCredentials]: SecStatus.SEC_E_NO_CREDENTIALS,
  [DigestErrorCode.IncompleteMessage]: SecStatus.SEC_E_INCOMPLETE_MESSAGE,
  [DigestErrorCode.Unsupported]: SecStatus.SEC_E_UNSUPPORTED_FUNCTION,
  // What Windows answers when the authority that must vouch for a logon cannot be reached in time.
  [DigestErrorCode.AuthorityUnavailable]: SecStatus.SEC_E_NO_AUTHENTICATING_AUTHORITY,
};

/** The SSPI status a Digest failure is reported as. */
export function statusForCode(code: DigestErrorCode): number {
  return STATUS_BY_CODE[code];
}
