/**
 * Typed failures of the Digest package. Each code maps to exactly one SSPI status in `status-map.ts`
 * (phase 2), so callers switch on `code` and never on message text. Messages never carry a password,
 * an HA1 or a session key: they name the parameter or the rule that failed, nothing more.
 */

/** Every failure the pure layers can report. */
export const DigestErrorCode = {
  /** Not syntactically a Digest message: bad quoting, bad characters, oversize, duplicate parameter. */
  InvalidToken: 'INVALID_TOKEN',
  /** Well-formed but unusable: a required parameter missing, a value out of range or inconsistent. */
  IllegalMessage: 'ILLEGAL_MESSAGE',
  /** The response does not match the credentials (wrong password, unknown user). */
  LogonDenied: 'LOGON_DENIED',
  /** A nonce count already used, or not increasing (replay). */
  OutOfSequence: 'OUT_OF_SEQUENCE',
  /** A message whose integrity check fails (tampered body, bad MAC, bad rspauth). */
  MessageAltered: 'MESSAGE_ALTERED',
  /** The server could not prove it knows the secret (bad rspauth). */
  MutualAuthFailed: 'MUTUAL_AUTH_FAILED',
  /** The server nonce is authentic but expired: the client may retry without the password. */
  StaleNonce: 'STALE_NONCE',
  /** The peer asked for an algorithm, qop or cipher this package does not offer. */
  QopNotSupported: 'QOP_NOT_SUPPORTED',
  /** The peer's answer does not give what the context requirements (ASC_REQ_*) ask for. */
  QosFailed: 'SECURITY_QOS_FAILED',
  /** The caller left out an input the call needs (e.g. the request URI buffer). */
  InvalidParameter: 'INVALID_PARAMETER',
  /** A call that does not fit the state of the context. */
  InvalidState: 'INVALID_STATE',
  /** Credentials (or server settings) in a shape or combination this package refuses. */
  UnknownCredentials: 'UNKNOWN_CREDENTIALS',
  /** The operation needs credentials that were not supplied. */
  NoCredentials: 'NO_CREDENTIALS',
  /** A protected message shorter than its framing. */
  IncompleteMessage: 'INCOMPLETE_MESSAGE',
  /** A store the verification depends on (the shared nonce-count store) did not answer: fail closed. */
  AuthorityUnavailable: 'AUTHORITY_UNAVAILABLE',
  /** The call is not offered by this package in this mode. */
  Unsupported: 'UNSUPPORTED',
} as const;

/** A value of {@link DigestErrorCode}. */
export type DigestErrorCode = (typeof DigestErrorCode)[keyof typeof DigestErrorCode];

const BRAND = Symbol.for('sspkit.digest.DigestError');

/** The one error class of the Digest package; `code` is stable, `message` is for people. */
export class DigestError extends Error {
  readonly code: DigestErrorCode;
  readonly [BRAND] = true;

  constructor(code: DigestErrorCode, message: string) {
    super(message);
    this.name = 'DigestError';
    this.code = code;
  }
}

/** Brand check that survives two copies of the package being loaded. */
export function isDigestError(value: unknown): value is DigestError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** Outcome of a function that must never throw (parsers, verifiers). */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: DigestError };

/** Success value of a {@link Result}. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Failure value of a {@link Result}. */
export function fail<T>(code: DigestErrorCode, message: string): Result<T> {
  return { ok: false, error: new DigestError(code, message) };
}
