/**
 * Failures of sspkit's own RFC 4121 code, as the same GssError the library's failures become, so
 * the adapter maps both alike (status-map.ts, per-message phase) and failureCause reads the same.
 * The texts are RFC 2744's descriptions of the major codes; none contains key or message bytes.
 */
import { GssError } from '../ffi/errors.js';
import { GssRoutine, GssSupplementary } from '../ffi/major.js';
import { mapGssStatus } from '../ffi/status-map.js';

const TEXT: Readonly<Record<number, string>> = {
  [GssRoutine.BAD_SIG]: 'A token had an invalid Message Integrity Check (MIC)',
  [GssRoutine.DEFECTIVE_TOKEN]: 'Invalid token was supplied',
  [GssSupplementary.DUPLICATE_TOKEN]: 'The token was a duplicate of an earlier token',
  [GssSupplementary.OLD_TOKEN]: "The token's validity period has expired",
  [GssSupplementary.UNSEQ_TOKEN]: 'A later token has already been processed',
  [GssSupplementary.GAP_TOKEN]: 'An expected per-message token was not received',
};

/** The error for `major` from `call`; `detail` says which check failed. */
export function tokenError(call: string, major: number, detail: string): GssError {
  return new GssError(`${call} (RFC 4121 in sspkit)`, major, 0, mapGssStatus(major, 0, 'per-message'), [
    TEXT[major] ?? `major 0x${major.toString(16)}`,
    detail,
  ]);
}

export const defective = (call: string, detail: string): GssError =>
  tokenError(call, GssRoutine.DEFECTIVE_TOKEN, detail);
export const badSig = (call: string, detail: string): GssError => tokenError(call, GssRoutine.BAD_SIG, detail);
