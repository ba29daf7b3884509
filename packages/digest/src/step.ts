/**
 * What one step of a Digest context yields, independent of SSPI plumbing. `table.ts` turns these into
 * SEC_I_CONTINUE_NEEDED / SEC_I_COMPLETE_NEEDED / SEC_I_COMPLETE_AND_CONTINUE / SEC_E_OK.
 */

/** One outcome of an initialize/accept/complete step. */
export interface Step {
  /** `continue`: send `token`, expect another from the peer; `done`: established (maybe send `token`). */
  readonly next: 'continue' | 'done';
  /** The message still lacks what only the transport knows; call complete once it does. */
  readonly completeNeeded: boolean;
  /** Bytes (as a byte string) to hand to the peer, if any. */
  readonly token?: string;
}

/** Parts of an HTTP request that only the transport knows (Windows passes them as PKG_PARAMS). */
export interface HttpRequestParts {
  readonly method?: string;
  readonly uri?: string;
  /** The entity body, for auth-int. */
  readonly body?: Uint8Array;
  /** Hex H(entity-body) computed by the caller (Windows' HEntity buffer), an alternative to `body`. */
  readonly bodyHash?: string;
}

/** Who authenticated, as the server sees it. */
export interface DigestIdentity {
  readonly username: string;
  readonly realm: string;
  readonly groups: readonly string[];
  /** Authorization identity asked for (SASL authzid), if any. */
  readonly authzid?: string;
}
