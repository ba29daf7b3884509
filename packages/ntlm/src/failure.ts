/**
 * Why an NTLM call failed, as the `cause` of a handshake result (LsaModeContextResult /
 * AcquireCredentialsResult) or the user table's `failureCause`. The message names the check that
 * failed and never carries a password, hash, key or message contents.
 */
export class NtlmFailure extends Error {
  override readonly name = 'NtlmFailure';
}

/** The cause for a failure described by `reason`. */
export const because = (reason: string): NtlmFailure => new NtlmFailure(reason);
