/**
 * Why a token failed to decode (the DER reader's codes and the SPNEGO codec's); the Negotiate package
 * maps every one of them to SEC_E_INVALID_TOKEN.
 */
export type DecodeErrorCode =
  | 'empty'
  | 'oversize'
  | 'truncated'
  | 'malformed-der'
  | 'trailing-bytes'
  | 'unexpected-tag'
  | 'duplicate-field'
  | 'missing-field'
  | 'bad-value'
  | 'wrong-mechanism';

/** A decode failure: a stable code to switch on and a human-readable detail (never secret). */
export interface DecodeError {
  readonly code: DecodeErrorCode;
  readonly detail: string;
}

/** Decoders never throw: they return either the value or a typed error. */
export type DecodeResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: DecodeError };

/** Builds a success result. */
export const ok = <T>(value: T): DecodeResult<T> => ({ ok: true, value });
/** Builds a failure result. */
export const fail = <T>(code: DecodeErrorCode, detail: string): DecodeResult<T> => ({
  ok: false,
  error: { code, detail },
});
