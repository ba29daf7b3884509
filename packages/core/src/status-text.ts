import type { SecStatusName } from './status.js';
import { NtStatus, SecStatus } from './status.js';

/**
 * One-line meanings for every status, in this project's own words (the message-table texts of
 * Windows are paraphrased, not copied). Keyed by name so a missing entry is a compile error.
 */
const meanings: Readonly<Record<SecStatusName, string>> = {
  SEC_E_OK: 'The call succeeded.',
  SEC_E_INSUFFICIENT_MEMORY: 'Not enough memory was available to complete the request.',
  SEC_E_INVALID_HANDLE:
    'The credential or context handle is not valid: never issued, already freed or deleted, of the wrong kind, or owned by another package.',
  SEC_E_UNSUPPORTED_FUNCTION: 'The security package does not implement the requested function.',
  SEC_E_TARGET_UNKNOWN: 'The target (service principal) is unknown or unreachable.',
  SEC_E_INTERNAL_ERROR: 'The security package failed internally (for example it threw instead of returning a status).',
  SEC_E_SECPKG_NOT_FOUND: 'No security package with that name is registered.',
  SEC_E_NOT_OWNER: 'The caller does not own the requested credentials.',
  SEC_E_CANNOT_INSTALL: 'The security package failed to initialise and was not installed.',
  SEC_E_INVALID_TOKEN: 'The token (input buffer) is malformed, truncated, or of the wrong type.',
  SEC_E_CANNOT_PACK: 'The package could not serialise the logon buffer.',
  SEC_E_QOP_NOT_SUPPORTED: 'The requested quality of protection is not supported by the package.',
  SEC_E_NO_IMPERSONATION: 'The context cannot be impersonated (client side, incomplete, or no token).',
  SEC_E_LOGON_DENIED: 'The logon failed: wrong password or unknown account.',
  SEC_E_UNKNOWN_CREDENTIALS: 'The credentials supplied to the package were not recognised.',
  SEC_E_NO_CREDENTIALS: 'No credentials are available to the package.',
  SEC_E_MESSAGE_ALTERED: 'The message or its signature was altered: integrity check failed.',
  SEC_E_OUT_OF_SEQUENCE: 'The message arrived out of sequence (replayed, reordered, or a wrong message number).',
  SEC_E_NO_AUTHENTICATING_AUTHORITY: 'No authority (KDC or domain controller) could be contacted.',
  SEC_I_CONTINUE_NEEDED: 'Send the output token to the peer and call again with its reply.',
  SEC_I_COMPLETE_NEEDED: 'Finish building the message, then call CompleteAuthToken.',
  SEC_I_COMPLETE_AND_CONTINUE: 'Call CompleteAuthToken, send the output token, then continue the handshake.',
  SEC_I_LOCAL_LOGON:
    'The logon was made, but no network authority was available; only locally known information was used.',
  SEC_I_GENERIC_EXTENSION_RECEIVED: 'A generic TLS extension was received.',
  SEC_E_BAD_PKGID: 'The package identifier is not valid.',
  SEC_E_CONTEXT_EXPIRED: 'The security context has expired.',
  SEC_I_CONTEXT_EXPIRED: 'The context has expired and can no longer be used (informational).',
  SEC_E_INCOMPLETE_MESSAGE: 'The input is incomplete: more data is needed from the peer.',
  SEC_E_INCOMPLETE_CREDENTIALS: 'The credentials are incomplete and could not be verified.',
  SEC_I_INCOMPLETE_CREDENTIALS: 'The credentials are incomplete; supply more and call again.',
  SEC_E_BUFFER_TOO_SMALL: 'An output buffer is too small for the result.',
  SEC_I_RENEGOTIATE: 'The peer asks for the context to be renegotiated.',
  SEC_E_WRONG_PRINCIPAL: 'The target principal name does not match the peer.',
  SEC_I_NO_LSA_CONTEXT: 'There is no LSA mode context associated with this context.',
  SEC_E_TIME_SKEW: 'The clocks of client and server differ by too much.',
  SEC_E_UNTRUSTED_ROOT: 'The certificate chain was issued by an authority that is not trusted.',
  SEC_E_ILLEGAL_MESSAGE: 'The message received was unexpected or badly formatted.',
  SEC_E_CERT_UNKNOWN: 'An unknown error occurred while processing the certificate.',
  SEC_E_CERT_EXPIRED: 'The certificate has expired.',
  SEC_E_ENCRYPT_FAILURE: 'The data could not be encrypted.',
  SEC_E_DECRYPT_FAILURE: 'The data could not be decrypted.',
  SEC_E_ALGORITHM_MISMATCH: 'Client and server share no algorithm they can both use.',
  SEC_E_SECURITY_QOS_FAILED: 'The requested quality of service could not be provided (bad context requirements).',
  SEC_E_UNFINISHED_CONTEXT_DELETED: 'A context was deleted before its handshake finished.',
  SEC_E_NO_TGT_REPLY: 'The client asked for user-to-user authentication but got no ticket-granting ticket.',
  SEC_E_NO_IP_ADDRESSES: 'No IP address is available for the operation.',
  SEC_E_WRONG_CREDENTIAL_HANDLE: 'The credential handle does not match the one used with this context.',
  SEC_E_CRYPTO_SYSTEM_INVALID: 'The cryptographic system or checksum function is not valid.',
  SEC_E_MAX_REFERRALS_EXCEEDED: 'The maximum number of referrals was exceeded.',
  SEC_E_MUST_BE_KDC: 'The operation must be performed on a KDC.',
  SEC_E_STRONG_CRYPTO_NOT_SUPPORTED: 'The other end requires strong cryptography, which is not available.',
  SEC_E_TOO_MANY_PRINCIPALS: 'The KDC reply contained more than one principal name.',
  SEC_E_NO_PA_DATA: 'Expected pre-authentication data was missing.',
  SEC_E_PKINIT_NAME_MISMATCH: 'The client certificate name does not match the user (PKINIT).',
  SEC_E_SMARTCARD_LOGON_REQUIRED: 'A smart card logon is required.',
  SEC_E_SHUTDOWN_IN_PROGRESS: 'The system is shutting down.',
  SEC_E_KDC_INVALID_REQUEST: 'The KDC rejected the request as invalid.',
  SEC_E_KDC_UNABLE_TO_REFER: 'The KDC could not produce a referral.',
  SEC_E_KDC_UNKNOWN_ETYPE: 'The KDC does not support the requested encryption type.',
  SEC_E_UNSUPPORTED_PREAUTH: 'An unsupported pre-authentication mechanism was presented.',
  SEC_E_DELEGATION_REQUIRED: 'The request needs credential delegation.',
  SEC_E_BAD_BINDINGS: 'The channel bindings do not match.',
  SEC_E_MULTIPLE_ACCOUNTS: 'The ticket could not be mapped to a single account.',
  SEC_E_NO_KERB_KEY: 'No Kerberos key is available for the account.',
  SEC_E_CERT_WRONG_USAGE: 'The certificate is not valid for the requested usage.',
  SEC_E_DOWNGRADE_DETECTED: 'A protocol downgrade attempt was detected.',
  SEC_E_SMARTCARD_CERT_REVOKED: 'The smart card certificate has been revoked.',
  SEC_E_ISSUING_CA_UNTRUSTED: 'The certificate was issued by an untrusted authority.',
  SEC_E_REVOCATION_OFFLINE_C: 'The revocation status of the certificate could not be checked.',
  SEC_E_PKINIT_CLIENT_FAILURE: 'The smart card certificate used for authentication is not trusted.',
  SEC_E_SMARTCARD_CERT_EXPIRED: 'The smart card certificate has expired.',
  SEC_E_NO_S4U_PROT_SUPPORT: 'The account does not support Kerberos S4U (protocol transition).',
  SEC_E_CROSSREALM_DELEGATION_FAILURE: 'Constrained delegation across realms is not allowed.',
  SEC_E_REVOCATION_OFFLINE_KDC: 'The revocation status of the KDC certificate could not be checked.',
  SEC_E_ISSUING_CA_UNTRUSTED_KDC: 'The KDC certificate was issued by an untrusted authority.',
  SEC_E_KDC_CERT_EXPIRED: 'The KDC certificate has expired.',
  SEC_E_KDC_CERT_REVOKED: 'The KDC certificate has been revoked.',
  SEC_I_SIGNATURE_NEEDED: 'A signature operation must be performed before the user can authenticate.',
  SEC_E_INVALID_PARAMETER: 'A parameter of the call is not valid.',
  SEC_E_DELEGATION_POLICY: 'Policy does not allow credential delegation to the target.',
  SEC_E_POLICY_NLTM_ONLY: 'Policy does not allow credential delegation when only NTLM was negotiated.',
  SEC_I_NO_RENEGOTIATION: 'The peer refused to renegotiate.',
  SEC_E_NO_CONTEXT: 'The requested security context does not exist.',
  SEC_E_PKU2U_CERT_FAILURE: 'The PKU2U protocol failed on a certificate.',
  SEC_E_MUTUAL_AUTH_FAILED: 'The server could not be authenticated (mutual authentication failed).',
  SEC_I_MESSAGE_FRAGMENT: 'Only a fragment of the message was processed; call again for the rest.',
  SEC_E_ONLY_HTTPS_ALLOWED: 'Only HTTPS is allowed.',
  SEC_I_CONTINUE_NEEDED_MESSAGE_OK: 'The message was processed; the handshake must continue.',
  SEC_E_APPLICATION_PROTOCOL_MISMATCH: 'No application protocol in common with the peer.',
  SEC_I_ASYNC_CALL_PENDING: 'An asynchronous call is still pending.',
  SEC_E_INVALID_UPN_NAME: 'The user principal name (UPN) is not valid.',
  SEC_E_EXT_BUFFER_TOO_SMALL: 'The extension buffer is too small.',
  SEC_E_INSUFFICIENT_BUFFERS: 'Not enough buffers were supplied for the operation.',
};

const ntMeanings: Readonly<Record<keyof typeof NtStatus, string>> = {
  STATUS_SUCCESS: 'The operation succeeded (NTSTATUS).',
  STATUS_UNSUCCESSFUL: 'The operation failed, with no more precise reason (NTSTATUS).',
  STATUS_NOT_IMPLEMENTED: 'The requested operation is not implemented (NTSTATUS).',
  STATUS_INVALID_HANDLE: 'An invalid handle was specified (NTSTATUS).',
  STATUS_INVALID_PARAMETER: 'An invalid parameter was passed (NTSTATUS).',
  STATUS_NO_MEMORY: 'Not enough virtual memory or paging file quota (NTSTATUS).',
  STATUS_ACCESS_DENIED: 'Access was denied (NTSTATUS).',
  STATUS_BUFFER_TOO_SMALL: 'The buffer is too small to contain the entry (NTSTATUS).',
  STATUS_NO_SUCH_USER: 'The specified account does not exist (NTSTATUS).',
  STATUS_WRONG_PASSWORD: 'The password is wrong (NTSTATUS).',
  STATUS_LOGON_FAILURE:
    'Unknown user name or bad password (NTSTATUS; Digest ASC returns it once the context is complete).',
  STATUS_NOT_SUPPORTED: 'The request is not supported (NTSTATUS).',
};

/** A status described for people: its value, name, meaning and whether it counts as success. */
export interface StatusInfo {
  readonly value: number;
  readonly hex: string;
  readonly name: string;
  readonly severity: 'success' | 'informational' | 'error';
  readonly meaning: string;
}

function describeEntry(name: string, value: number, meaning: string): StatusInfo {
  const hex = `0x${value.toString(16).toUpperCase().padStart(8, '0')}`;
  const severity = value >>> 31 !== 0 ? 'error' : value === 0 ? 'success' : 'informational';
  return { value, hex, name, severity, meaning };
}

/** Every status this library knows, in value order (SEC_* first, then NTSTATUS). */
export function allStatuses(): StatusInfo[] {
  const sec = (Object.keys(meanings) as SecStatusName[]).map((n) => describeEntry(n, SecStatus[n], meanings[n]));
  sec.sort((a, b) => a.value - b.value || a.name.localeCompare(b.name));
  const nt = (Object.keys(ntMeanings) as (keyof typeof NtStatus)[])
    .filter((n) => NtStatus[n] !== 0)
    .map((n) => describeEntry(n, NtStatus[n], ntMeanings[n]));
  return [...sec, ...nt];
}

/** Describes one status value; unknown values get a generic meaning derived from their severity. */
export function describeStatus(status: number): StatusInfo {
  const value = status >>> 0;
  const known = allStatuses().find((s) => s.value === value);
  if (known) return known;
  const facility = (value >>> 16) & 0x1fff;
  const meaning =
    facility === 9 ? 'An SSPI status this library does not know by name.' : 'Not an SSPI status known to this library.';
  return describeEntry(`0x${value.toString(16).toUpperCase().padStart(8, '0')}`, value, meaning);
}
