/**
 * GSS outcomes → SSPI statuses, as data. A krb5 minor code, when the table knows it, is more
 * precise than the major routine error (GSS_S_FAILURE hides "KDC unreachable" and "wrong
 * password" alike), so rows are tried in order: minor+routine, minor alone, routine alone.
 */
import { SecStatus } from '@sspkit/core';
import { GSS_SEQUENCE_PROBLEMS, GssRoutine, routineError } from './major.js';

/** The SEC_E_* statuses this mapping produces: core's values (one table, winerror.h). */
export const MappedStatus = {
  SEC_E_OK: SecStatus.SEC_E_OK,
  SEC_E_INVALID_HANDLE: SecStatus.SEC_E_INVALID_HANDLE,
  SEC_E_UNSUPPORTED_FUNCTION: SecStatus.SEC_E_UNSUPPORTED_FUNCTION,
  SEC_E_TARGET_UNKNOWN: SecStatus.SEC_E_TARGET_UNKNOWN,
  SEC_E_INTERNAL_ERROR: SecStatus.SEC_E_INTERNAL_ERROR,
  SEC_E_SECPKG_NOT_FOUND: SecStatus.SEC_E_SECPKG_NOT_FOUND,
  SEC_E_INVALID_TOKEN: SecStatus.SEC_E_INVALID_TOKEN,
  SEC_E_QOP_NOT_SUPPORTED: SecStatus.SEC_E_QOP_NOT_SUPPORTED,
  SEC_E_LOGON_DENIED: SecStatus.SEC_E_LOGON_DENIED,
  SEC_E_UNKNOWN_CREDENTIALS: SecStatus.SEC_E_UNKNOWN_CREDENTIALS,
  SEC_E_NO_CREDENTIALS: SecStatus.SEC_E_NO_CREDENTIALS,
  SEC_E_MESSAGE_ALTERED: SecStatus.SEC_E_MESSAGE_ALTERED,
  SEC_E_OUT_OF_SEQUENCE: SecStatus.SEC_E_OUT_OF_SEQUENCE,
  SEC_E_NO_AUTHENTICATING_AUTHORITY: SecStatus.SEC_E_NO_AUTHENTICATING_AUTHORITY,
  SEC_E_CONTEXT_EXPIRED: SecStatus.SEC_E_CONTEXT_EXPIRED,
  SEC_E_WRONG_PRINCIPAL: SecStatus.SEC_E_WRONG_PRINCIPAL,
  SEC_E_TIME_SKEW: SecStatus.SEC_E_TIME_SKEW,
  SEC_E_KDC_UNKNOWN_ETYPE: SecStatus.SEC_E_KDC_UNKNOWN_ETYPE,
  SEC_E_BAD_BINDINGS: SecStatus.SEC_E_BAD_BINDINGS,
  SEC_E_INVALID_PARAMETER: SecStatus.SEC_E_INVALID_PARAMETER,
  SEC_E_MUTUAL_AUTH_FAILED: SecStatus.SEC_E_MUTUAL_AUTH_FAILED,
} as const;

export type MappedStatusName = keyof typeof MappedStatus;

/** krb5 error codes (krb5.h, com_err table "krb5", signed) and GSS-krb5 minor codes (table "k5g"). */
export const Krb5Minor = {
  KRB5KDC_ERR_NAME_EXP: -1765328383,
  KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN: -1765328378,
  KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN: -1765328377,
  KRB5KDC_ERR_ETYPE_NOSUPP: -1765328370,
  KRB5KDC_ERR_CLIENT_REVOKED: -1765328366,
  KRB5KDC_ERR_KEY_EXP: -1765328361,
  KRB5KDC_ERR_PREAUTH_FAILED: -1765328360,
  KRB5KRB_AP_ERR_BAD_INTEGRITY: -1765328353,
  KRB5KRB_AP_ERR_TKT_EXPIRED: -1765328352,
  KRB5KRB_AP_ERR_TKT_NYV: -1765328351,
  KRB5KRB_AP_ERR_REPEAT: -1765328350,
  KRB5KRB_AP_ERR_NOT_US: -1765328349,
  KRB5KRB_AP_ERR_SKEW: -1765328347,
  KRB5KRB_AP_ERR_MSG_TYPE: -1765328344,
  KRB5KRB_AP_ERR_MODIFIED: -1765328343,
  KRB5KRB_AP_ERR_NOKEY: -1765328339,
  KRB5_CC_NOTFOUND: -1765328243,
  KRB5_CC_END: -1765328242,
  KRB5KRB_AP_WRONG_PRINC: -1765328240,
  KRB5_KDC_UNREACH: -1765328228,
  KRB5_REALM_UNKNOWN: -1765328230,
  KRB5_KT_NOTFOUND: -1765328203,
  KRB5_FCC_NOFILE: -1765328189,
  KRB5_PREAUTH_FAILED: -1765328174,
  KRB5_REALM_CANT_RESOLVE: -1765328164,
  KRB5_KT_KVNONOTFOUND: -1765328154,
  // gssapi_err_krb5 ("k5g", base 39756032)
  KG_CCACHE_NOMATCH: 39756032,
  KG_KEYTAB_NOMATCH: 39756033,
  KG_TGT_MISSING: 39756034,
  KG_EMPTY_CCACHE: 39756044,
} as const;

/**
 * Where a call failed, for rows that depend on it: the acceptor's first leg, a later handshake leg
 * that received a token from the peer (either side), or a received per-message token.
 */
export type CallPhase = 'accept-first' | 'received-token' | 'per-message';

/** The krb5 library's ASN.1 decoder errors (com_err table "asn1", krb5/asn1_err.et): ASN1_* codes. */
const ASN1_ERROR_BASE = 1859794432;
const ASN1_ERROR_COUNT = 14;

function isAsn1DecodeError(minor: number): boolean {
  return minor >= ASN1_ERROR_BASE && minor < ASN1_ERROR_BASE + ASN1_ERROR_COUNT;
}

/** One mapping row; absent fields match anything. */
export interface StatusRow {
  readonly routine?: number;
  readonly minor?: number;
  readonly phase?: CallPhase;
  readonly status: MappedStatusName;
}

const M = Krb5Minor;
const R = GssRoutine;

/** Rows with a minor code, most specific (routine+minor) first. */
const MINOR_ROWS: readonly StatusRow[] = [
  // A ticket whose service key is not in the acceptor's keytab: the client named the wrong principal.
  { routine: R.FAILURE, minor: M.KRB5_KT_NOTFOUND, status: 'SEC_E_WRONG_PRINCIPAL' },
  { routine: R.DEFECTIVE_CREDENTIAL, minor: M.KRB5_KT_NOTFOUND, status: 'SEC_E_WRONG_PRINCIPAL' },
  { routine: R.NO_CRED, minor: M.KRB5_KT_NOTFOUND, status: 'SEC_E_NO_CREDENTIALS' },
  { minor: M.KRB5_KDC_UNREACH, status: 'SEC_E_NO_AUTHENTICATING_AUTHORITY' },
  { minor: M.KRB5_REALM_UNKNOWN, status: 'SEC_E_NO_AUTHENTICATING_AUTHORITY' },
  { minor: M.KRB5_REALM_CANT_RESOLVE, status: 'SEC_E_NO_AUTHENTICATING_AUTHORITY' },
  { minor: M.KRB5KDC_ERR_PREAUTH_FAILED, status: 'SEC_E_LOGON_DENIED' },
  { minor: M.KRB5_PREAUTH_FAILED, status: 'SEC_E_LOGON_DENIED' },
  { minor: M.KRB5KRB_AP_ERR_BAD_INTEGRITY, status: 'SEC_E_LOGON_DENIED' },
  { minor: M.KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN, status: 'SEC_E_LOGON_DENIED' },
  { minor: M.KRB5KDC_ERR_CLIENT_REVOKED, status: 'SEC_E_LOGON_DENIED' },
  { minor: M.KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN, status: 'SEC_E_TARGET_UNKNOWN' },
  { minor: M.KRB5KDC_ERR_ETYPE_NOSUPP, status: 'SEC_E_KDC_UNKNOWN_ETYPE' },
  { minor: M.KRB5KDC_ERR_NAME_EXP, status: 'SEC_E_CONTEXT_EXPIRED' },
  { minor: M.KRB5KDC_ERR_KEY_EXP, status: 'SEC_E_CONTEXT_EXPIRED' },
  { minor: M.KRB5KRB_AP_ERR_TKT_EXPIRED, status: 'SEC_E_CONTEXT_EXPIRED' },
  { minor: M.KRB5KRB_AP_ERR_TKT_NYV, status: 'SEC_E_TIME_SKEW' },
  { minor: M.KRB5KRB_AP_ERR_SKEW, status: 'SEC_E_TIME_SKEW' },
  { minor: M.KRB5KRB_AP_ERR_REPEAT, status: 'SEC_E_OUT_OF_SEQUENCE' },
  // Windows reports a ticket its key cannot decrypt (KRB_AP_ERR_MODIFIED) as a wrong principal.
  { minor: M.KRB5KRB_AP_ERR_MODIFIED, status: 'SEC_E_WRONG_PRINCIPAL' },
  { minor: M.KRB5KRB_AP_ERR_NOT_US, status: 'SEC_E_WRONG_PRINCIPAL' },
  { minor: M.KRB5KRB_AP_WRONG_PRINC, status: 'SEC_E_WRONG_PRINCIPAL' },
  { minor: M.KRB5KRB_AP_ERR_NOKEY, status: 'SEC_E_WRONG_PRINCIPAL' },
  { minor: M.KRB5_KT_KVNONOTFOUND, status: 'SEC_E_WRONG_PRINCIPAL' },
  { minor: M.KRB5_KT_NOTFOUND, status: 'SEC_E_NO_CREDENTIALS' },
  { minor: M.KRB5_FCC_NOFILE, status: 'SEC_E_NO_CREDENTIALS' },
  { minor: M.KRB5_CC_NOTFOUND, status: 'SEC_E_NO_CREDENTIALS' },
  { minor: M.KRB5_CC_END, status: 'SEC_E_NO_CREDENTIALS' },
  { minor: M.KG_CCACHE_NOMATCH, status: 'SEC_E_NO_CREDENTIALS' },
  { minor: M.KG_KEYTAB_NOMATCH, status: 'SEC_E_NO_CREDENTIALS' },
  { minor: M.KG_TGT_MISSING, status: 'SEC_E_NO_CREDENTIALS' },
  { minor: M.KG_EMPTY_CCACHE, status: 'SEC_E_NO_CREDENTIALS' },
];

/**
 * Rows for received per-message tokens (verify_mic, unwrap), tried first there: a damaged token or
 * a failed integrity check is a changed message to SSPI (SEC_E_MESSAGE_ALTERED), not a bad
 * handshake token or a wrong password, which the same GSS codes mean elsewhere.
 */
const PER_MESSAGE_ROWS: readonly StatusRow[] = [
  { routine: R.DEFECTIVE_TOKEN, status: 'SEC_E_MESSAGE_ALTERED' },
  { routine: R.BAD_SIG, status: 'SEC_E_MESSAGE_ALTERED' },
  { minor: M.KRB5KRB_AP_ERR_BAD_INTEGRITY, status: 'SEC_E_MESSAGE_ALTERED' },
  { minor: M.KRB5KRB_AP_ERR_MODIFIED, status: 'SEC_E_MESSAGE_ALTERED' },
];

/**
 * Rows for a handshake leg that received the peer's token, tried before the general minor rows. A
 * reply the initiator cannot decrypt or verify (AP-REP, RFC 4120 §3.2.5) means the server did not
 * prove its identity; a token of the wrong Kerberos message type is a defective token.
 */
const RECEIVED_TOKEN_ROWS: readonly StatusRow[] = [{ minor: M.KRB5KRB_AP_ERR_MSG_TYPE, status: 'SEC_E_INVALID_TOKEN' }];
const INITIATOR_REPLY_ROWS: readonly StatusRow[] = [
  { minor: M.KRB5KRB_AP_ERR_BAD_INTEGRITY, status: 'SEC_E_MUTUAL_AUTH_FAILED' },
  { minor: M.KRB5KRB_AP_ERR_MODIFIED, status: 'SEC_E_MUTUAL_AUTH_FAILED' },
];

/** Routine errors on their own (phase-qualified rows first). */
const ROUTINE_ROWS: readonly StatusRow[] = [
  // MIT answers an unparsable token with GSS_S_FAILURE and minor 0 ("Unspecified GSS failure") or a
  // minor the table does not know: on a leg that received a token, the token is what is wrong;
  // SEC_E_INTERNAL_ERROR stays for a fault of the package itself.
  { routine: R.FAILURE, phase: 'accept-first', status: 'SEC_E_INVALID_TOKEN' },
  { routine: R.FAILURE, phase: 'received-token', status: 'SEC_E_INVALID_TOKEN' },
  // A received token naming a mechanism nobody offered (a flipped OID) is a bad token, not a
  // missing package: SEC_E_SECPKG_NOT_FOUND is for a package name the caller asked for.
  { routine: R.BAD_MECH, phase: 'accept-first', status: 'SEC_E_INVALID_TOKEN' },
  { routine: R.BAD_MECH, phase: 'received-token', status: 'SEC_E_INVALID_TOKEN' },
  { routine: R.NAME_NOT_MN, phase: 'received-token', status: 'SEC_E_INVALID_TOKEN' },
  { routine: R.NAME_NOT_MN, phase: 'accept-first', status: 'SEC_E_INVALID_TOKEN' },
  { routine: R.BAD_MECH, status: 'SEC_E_SECPKG_NOT_FOUND' },
  { routine: R.BAD_NAME, status: 'SEC_E_TARGET_UNKNOWN' },
  { routine: R.BAD_NAMETYPE, status: 'SEC_E_TARGET_UNKNOWN' },
  { routine: R.BAD_BINDINGS, status: 'SEC_E_BAD_BINDINGS' },
  { routine: R.BAD_STATUS, status: 'SEC_E_INTERNAL_ERROR' },
  { routine: R.BAD_SIG, status: 'SEC_E_MESSAGE_ALTERED' },
  { routine: R.NO_CRED, status: 'SEC_E_NO_CREDENTIALS' },
  { routine: R.NO_CONTEXT, status: 'SEC_E_INVALID_HANDLE' },
  { routine: R.DEFECTIVE_TOKEN, status: 'SEC_E_INVALID_TOKEN' },
  { routine: R.DEFECTIVE_CREDENTIAL, status: 'SEC_E_LOGON_DENIED' },
  { routine: R.CREDENTIALS_EXPIRED, status: 'SEC_E_CONTEXT_EXPIRED' },
  { routine: R.CONTEXT_EXPIRED, status: 'SEC_E_CONTEXT_EXPIRED' },
  { routine: R.FAILURE, status: 'SEC_E_INTERNAL_ERROR' },
  { routine: R.BAD_QOP, status: 'SEC_E_QOP_NOT_SUPPORTED' },
  { routine: R.UNAUTHORIZED, status: 'SEC_E_LOGON_DENIED' },
  { routine: R.UNAVAILABLE, status: 'SEC_E_UNSUPPORTED_FUNCTION' },
  { routine: R.DUPLICATE_ELEMENT, status: 'SEC_E_INTERNAL_ERROR' },
  { routine: R.NAME_NOT_MN, status: 'SEC_E_INTERNAL_ERROR' },
  { routine: R.BAD_MECH_ATTR, status: 'SEC_E_SECPKG_NOT_FOUND' },
];

/**
 * The SSPI status for a GSS outcome. Calling errors (bad arguments) map to INVALID_PARAMETER;
 * a clean routine field with replay/sequence bits set maps to OUT_OF_SEQUENCE.
 */
export function mapGssStatus(major: number, minor: number, phase?: CallPhase, side?: 'initiator'): MappedStatusName {
  const m = major >>> 0;
  if ((m & 0xff000000) !== 0) return 'SEC_E_INVALID_PARAMETER';
  const routine = routineError(m);
  if (routine === 0) return (m & GSS_SEQUENCE_PROBLEMS) !== 0 ? 'SEC_E_OUT_OF_SEQUENCE' : 'SEC_E_OK';
  const signedMinor = minor | 0;
  if (phase === 'per-message') {
    for (const row of PER_MESSAGE_ROWS) {
      if (
        (row.routine === undefined || row.routine === routine) &&
        (row.minor === undefined || row.minor === signedMinor)
      )
        return row.status;
    }
  }
  if (phase === 'received-token' || phase === 'accept-first') {
    const rows = side === 'initiator' ? [...INITIATOR_REPLY_ROWS, ...RECEIVED_TOKEN_ROWS] : RECEIVED_TOKEN_ROWS;
    const hit = rows.find((row) => row.minor === signedMinor);
    if (hit !== undefined) return hit.status;
    if (isAsn1DecodeError(signedMinor)) return 'SEC_E_INVALID_TOKEN';
  }
  for (const row of MINOR_ROWS) {
    if (row.minor === signedMinor && (row.routine === undefined || row.routine === routine)) return row.status;
  }
  for (const row of ROUTINE_ROWS) {
    if (row.routine === routine && (row.phase === undefined || row.phase === phase)) return row.status;
  }
  return 'SEC_E_INTERNAL_ERROR';
}

/** True when the table has a row for this minor code. */
export function isKnownMinor(minor: number): boolean {
  const m = minor | 0;
  return MINOR_ROWS.some((row) => row.minor === m);
}
