/** Names of the numbers a Kerberos token carries (RFC 4120 §7.5, RFC 3961 §8, RFC 8009, RFC 4121). */

/** RFC 4120 §7.5.9 error codes, plus RFC 6113's and the ones Windows sends (MS-KILE §2.2). */
export const KRB_ERROR_NAMES: Readonly<Record<number, string>> = {
  0: 'KDC_ERR_NONE',
  1: 'KDC_ERR_NAME_EXP',
  2: 'KDC_ERR_SERVICE_EXP',
  3: 'KDC_ERR_BAD_PVNO',
  4: 'KDC_ERR_C_OLD_MAST_KVNO',
  5: 'KDC_ERR_S_OLD_MAST_KVNO',
  6: 'KDC_ERR_C_PRINCIPAL_UNKNOWN',
  7: 'KDC_ERR_S_PRINCIPAL_UNKNOWN',
  8: 'KDC_ERR_PRINCIPAL_NOT_UNIQUE',
  9: 'KDC_ERR_NULL_KEY',
  10: 'KDC_ERR_CANNOT_POSTDATE',
  11: 'KDC_ERR_NEVER_VALID',
  12: 'KDC_ERR_POLICY',
  13: 'KDC_ERR_BADOPTION',
  14: 'KDC_ERR_ETYPE_NOSUPP',
  15: 'KDC_ERR_SUMTYPE_NOSUPP',
  16: 'KDC_ERR_PADATA_TYPE_NOSUPP',
  17: 'KDC_ERR_TRTYPE_NOSUPP',
  18: 'KDC_ERR_CLIENT_REVOKED',
  19: 'KDC_ERR_SERVICE_REVOKED',
  20: 'KDC_ERR_TGT_REVOKED',
  21: 'KDC_ERR_CLIENT_NOTYET',
  22: 'KDC_ERR_SERVICE_NOTYET',
  23: 'KDC_ERR_KEY_EXPIRED',
  24: 'KDC_ERR_PREAUTH_FAILED',
  25: 'KDC_ERR_PREAUTH_REQUIRED',
  26: 'KDC_ERR_SERVER_NOMATCH',
  27: 'KDC_ERR_MUST_USE_USER2USER',
  28: 'KDC_ERR_PATH_NOT_ACCEPTED',
  29: 'KDC_ERR_SVC_UNAVAILABLE',
  31: 'KRB_AP_ERR_BAD_INTEGRITY',
  32: 'KRB_AP_ERR_TKT_EXPIRED',
  33: 'KRB_AP_ERR_TKT_NYV',
  34: 'KRB_AP_ERR_REPEAT',
  35: 'KRB_AP_ERR_NOT_US',
  36: 'KRB_AP_ERR_BADMATCH',
  37: 'KRB_AP_ERR_SKEW',
  38: 'KRB_AP_ERR_BADADDR',
  39: 'KRB_AP_ERR_BADVERSION',
  40: 'KRB_AP_ERR_MSG_TYPE',
  41: 'KRB_AP_ERR_MODIFIED',
  42: 'KRB_AP_ERR_BADORDER',
  44: 'KRB_AP_ERR_BADKEYVER',
  45: 'KRB_AP_ERR_NOKEY',
  46: 'KRB_AP_ERR_MUT_FAIL',
  47: 'KRB_AP_ERR_BADDIRECTION',
  48: 'KRB_AP_ERR_METHOD',
  49: 'KRB_AP_ERR_BADSEQ',
  50: 'KRB_AP_ERR_INAPP_CKSUM',
  51: 'KRB_AP_PATH_NOT_ACCEPTED',
  52: 'KRB_ERR_RESPONSE_TOO_BIG',
  60: 'KRB_ERR_GENERIC',
  61: 'KRB_ERR_FIELD_TOOLONG',
  62: 'KDC_ERROR_CLIENT_NOT_TRUSTED',
  63: 'KDC_ERROR_KDC_NOT_TRUSTED',
  64: 'KDC_ERROR_INVALID_SIG',
  65: 'KDC_ERR_KEY_TOO_WEAK',
  66: 'KDC_ERR_CERTIFICATE_MISMATCH',
  67: 'KRB_AP_ERR_NO_TGT',
  68: 'KDC_ERR_WRONG_REALM',
  69: 'KRB_AP_ERR_USER_TO_USER_REQUIRED',
  70: 'KDC_ERR_CANT_VERIFY_CERTIFICATE',
  71: 'KDC_ERR_INVALID_CERTIFICATE',
  72: 'KDC_ERR_REVOKED_CERTIFICATE',
  73: 'KDC_ERR_REVOCATION_STATUS_UNKNOWN',
  74: 'KDC_ERR_REVOCATION_STATUS_UNAVAILABLE',
  75: 'KDC_ERR_CLIENT_NAME_MISMATCH',
  76: 'KDC_ERR_KDC_NAME_MISMATCH',
  90: 'KDC_ERR_PREAUTH_EXPIRED',
  91: 'KDC_ERR_MORE_PREAUTH_DATA_REQUIRED',
  92: 'KDC_ERR_PREAUTH_BAD_AUTHENTICATION_SET',
  93: 'KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTIONS',
};

/** Encryption types (RFC 3961 §8, RFC 3962, RFC 4757, RFC 8009). */
export const ETYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'des-cbc-crc',
  2: 'des-cbc-md4',
  3: 'des-cbc-md5',
  16: 'des3-cbc-sha1-kd',
  17: 'aes128-cts-hmac-sha1-96',
  18: 'aes256-cts-hmac-sha1-96',
  19: 'aes128-cts-hmac-sha256-128',
  20: 'aes256-cts-hmac-sha384-192',
  23: 'rc4-hmac',
  24: 'rc4-hmac-exp',
  25: 'camellia128-cts-cmac',
  26: 'camellia256-cts-cmac',
};

/** Principal name types (RFC 4120 §6.2). */
export const NAME_TYPES: Readonly<Record<number, string>> = {
  0: 'NT-UNKNOWN',
  1: 'NT-PRINCIPAL',
  2: 'NT-SRV-INST',
  3: 'NT-SRV-HST',
  4: 'NT-SRV-XHST',
  5: 'NT-UID',
  6: 'NT-X500-PRINCIPAL',
  7: 'NT-SMTP-NAME',
  10: 'NT-ENTERPRISE',
  [-128]: 'NT-MS-PRINCIPAL',
};

/** APOptions (RFC 4120 §5.5.1), bit 0 the most significant. */
export const AP_OPTIONS: Readonly<Record<string, number>> = {
  'use-session-key': 1 << 30,
  'mutual-required': 1 << 29,
};

/** TicketFlags (RFC 4120 §5.3, RFC 6806 name-canonicalize), bit 0 the most significant. */
export const TICKET_FLAGS: Readonly<Record<string, number>> = {
  forwardable: 1 << 30,
  forwarded: 1 << 29,
  proxiable: 1 << 28,
  proxy: 1 << 27,
  'may-postdate': 1 << 26,
  postdated: 1 << 25,
  invalid: 1 << 24,
  renewable: 1 << 23,
  initial: 1 << 22,
  'pre-authent': 1 << 21,
  'hw-authent': 1 << 20,
  'transited-policy-checked': 1 << 19,
  'ok-as-delegate': 1 << 18,
  'enc-pa-rep': 1 << 16,
  anonymous: 1 << 15,
};

/** The Flags field of the GSS checksum in an AP-REQ authenticator (RFC 4121 §4.1.1.1, MS-KILE §3.2.5.2). */
export const GSS_CHECKSUM_FLAGS: Readonly<Record<string, number>> = {
  DELEG: 0x1,
  MUTUAL: 0x2,
  REPLAY: 0x4,
  SEQUENCE: 0x8,
  CONF: 0x10,
  INTEG: 0x20,
  TRANS: 0x100,
  DCE_STYLE: 0x1000,
  IDENTIFY: 0x2000,
  EXTENDED_ERROR: 0x4000,
};

/** Authorization data types (RFC 4120 §7.5.4, MS-KILE / MS-PAC). */
export const AD_TYPES: Readonly<Record<number, string>> = {
  1: 'AD-IF-RELEVANT',
  4: 'AD-KDC-ISSUED',
  5: 'AD-AND-OR',
  8: 'AD-MANDATORY-FOR-KDC',
  128: 'AD-WIN2K-PAC',
  129: 'AD-GSS-API-ETYPE-NEGO',
  141: 'KERB-AUTH-DATA-TOKEN-RESTRICTIONS',
  142: 'KERB-LOCAL',
  143: 'AD-AUTH-DATA-AP-OPTIONS',
  144: 'KERB-AUTH-DATA-CLIENT-TARGET',
};

/** PAC_INFO_BUFFER ulType values ([MS-PAC] §2.4). */
export const PAC_BUFFER_TYPES: Readonly<Record<number, string>> = {
  1: 'logon information (KERB_VALIDATION_INFO)',
  2: 'credentials',
  6: 'server checksum',
  7: 'KDC (privsvr) checksum',
  10: 'client name and ticket information',
  11: 'constrained delegation',
  12: 'UPN and DNS information',
  13: 'client claims',
  14: 'device information',
  15: 'device claims',
  16: 'ticket checksum',
  17: 'PAC attributes',
  18: 'PAC requestor',
  19: 'extended KDC (full) checksum',
};

/** `name (n)` or `n (unknown)`. */
export const named = (table: Readonly<Record<number, string>>, n: number): string =>
  table[n] !== undefined ? `${table[n]} (${n})` : `${n} (unknown)`;
