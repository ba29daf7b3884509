/** GSS-API major status words (RFC 2744 §3.9.1): three fields packed in one OM_uint32. */

/** Routine errors, already shifted into bits 16–23. */
export const GssRoutine = {
  BAD_MECH: 1 << 16,
  BAD_NAME: 2 << 16,
  BAD_NAMETYPE: 3 << 16,
  BAD_BINDINGS: 4 << 16,
  BAD_STATUS: 5 << 16,
  BAD_SIG: 6 << 16,
  NO_CRED: 7 << 16,
  NO_CONTEXT: 8 << 16,
  DEFECTIVE_TOKEN: 9 << 16,
  DEFECTIVE_CREDENTIAL: 10 << 16,
  CREDENTIALS_EXPIRED: 11 << 16,
  CONTEXT_EXPIRED: 12 << 16,
  FAILURE: 13 << 16,
  BAD_QOP: 14 << 16,
  UNAUTHORIZED: 15 << 16,
  UNAVAILABLE: 16 << 16,
  DUPLICATE_ELEMENT: 17 << 16,
  NAME_NOT_MN: 18 << 16,
  BAD_MECH_ATTR: 19 << 16,
} as const;

/** Supplementary information bits 0–15. */
export const GssSupplementary = {
  CONTINUE_NEEDED: 1,
  DUPLICATE_TOKEN: 2,
  OLD_TOKEN: 4,
  UNSEQ_TOKEN: 8,
  GAP_TOKEN: 16,
} as const;

/** Masks of the calling-error and routine-error fields (RFC 2744 §3.9.1). */
const GSS_CALLING_ERROR_MASK = 0xff000000;
const GSS_ROUTINE_ERROR_MASK = 0x00ff0000;

/** Supplementary bits that report a replayed, stale, reordered or missing message. */
export const GSS_SEQUENCE_PROBLEMS =
  GssSupplementary.DUPLICATE_TOKEN |
  GssSupplementary.OLD_TOKEN |
  GssSupplementary.UNSEQ_TOKEN |
  GssSupplementary.GAP_TOKEN;

/** `status_type` for gss_display_status. */
export const GSS_C_GSS_CODE = 1;
export const GSS_C_MECH_CODE = 2;

/** Credential usage for gss_acquire_cred*. */
export const GssCredUsage = { BOTH: 0, INITIATE: 1, ACCEPT: 2 } as const;

/** True when the major status carries a calling or routine error. */
export function isGssError(major: number): boolean {
  return ((major >>> 0) & (GSS_CALLING_ERROR_MASK | GSS_ROUTINE_ERROR_MASK)) !== 0;
}

/** The routine-error field of a major status (0 when none). */
export function routineError(major: number): number {
  return (major >>> 0) & GSS_ROUTINE_ERROR_MASK;
}
