/**
 * Turning thrown FFI errors into SSPI statuses. The faithful API returns only the status; the
 * library's own text (gss_display_status) is kept as the last error of the calling package so a
 * caller or the convenience layer can attach it as the cause.
 */
import { SecStatus } from '@sspkit/core';
import { isGssErrorObject, ReleasedHandleError } from '../ffi/index.js';
import type { GssError } from '../ffi/index.js';

let last: GssError | Error | undefined;

/** The status for an error thrown by the FFI layer; remembers it as the last native error. */
export function statusFromError(err: unknown): number {
  if (isGssErrorObject(err)) {
    last = err;
    return err.status >>> 0;
  }
  if (err instanceof ReleasedHandleError) return SecStatus.SEC_E_INVALID_HANDLE;
  last = err instanceof Error ? err : new Error(String(err));
  return SecStatus.SEC_E_INTERNAL_ERROR;
}

/**
 * The status and the diagnostic for an error thrown by the FFI layer: handshake and credential slots
 * return both, so the dispatcher hands the library's own text to the caller as the error's cause.
 */
export function failure(err: unknown): { status: number; cause?: unknown } {
  const status = statusFromError(err);
  return isGssErrorObject(err) ? { status, cause: err } : { status };
}

/** The most recent native failure (a GssError with major/minor and the library's messages). */
export function lastNativeError(): GssError | Error | undefined {
  return last;
}
