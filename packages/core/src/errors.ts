import { formatStatus, statusName } from './status.js';
import type { StatusName } from './status.js';

const brand = Symbol.for('sspkit.SspiError');

/**
 * The one error type of the convenience layer: a failed SSPI call, carrying its status and name.
 * The faithful API never throws it; it returns the status. `cause` keeps the native or package
 * error (e.g. gss_display_status text) for diagnosis. Messages never contain secrets.
 */
export class SspiError extends Error {
  /** The SECURITY_STATUS that failed (unsigned 32-bit view). */
  readonly status: number;
  /**
   * Its symbolic name, e.g. `SEC_E_LOGON_DENIED`; stable, meant for `switch` (a union of the names,
   * so a misspelled case fails to compile; an unknown status reads as its hex, `0x80091234`).
   */
  readonly code: StatusName;
  /** The SSPI function that returned it, e.g. `AcceptSecurityContext`. */
  readonly operation: string | undefined;

  constructor(status: number, operation?: string, options?: { cause?: unknown; detail?: string }) {
    const name = statusName(status);
    const where = operation ? `${operation}: ` : '';
    const detail = options?.detail ? ` (${options.detail})` : '';
    super(
      `${where}${name} ${formatStatus(status)}${detail}`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'SspiError';
    this.status = status >>> 0;
    this.code = name;
    this.operation = operation;
  }

  /** Brand used by {@link isSspiError}; survives two copies of this package being installed. */
  get [brand](): true {
    return true;
  }
}

/** True for any SspiError, even one created by another installed copy of @sspkit/core. */
export function isSspiError(value: unknown): value is SspiError {
  return typeof value === 'object' && value !== null && (value as { [brand]?: unknown })[brand] === true;
}
