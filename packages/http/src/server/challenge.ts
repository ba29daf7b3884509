/** A Digest challenge: AcceptSecurityContext with no input writes one (fresh nonce) into the output token. */
import { SecBufferType, SecStatus, secBuffer, secBufferDesc } from '@sspkit/core';
import type { CredHandle, SspiDispatcher } from '@sspkit/core';
import { bytesToHeader } from '../common/auth-header.js';

export type ChallengeResult =
  | { readonly ok: true; readonly header: string }
  | { readonly ok: false; readonly status: number; readonly cause?: unknown };

export async function challengeFrom(
  sspi: SspiDispatcher,
  credential: CredHandle,
  contextReq: number,
): Promise<ChallengeResult> {
  const out = secBufferDesc(secBuffer(SecBufferType.TOKEN));
  const r = await sspi.acceptSecurityContext({ credential, contextReq, output: out });
  // The challenge's context carries no state a later request needs: the response is verified on
  // whichever connection it arrives (the nonce is self-authenticating).
  if (r.context?.isValid === true) sspi.deleteSecurityContext(r.context);
  const token = out.buffers[0]?.data;
  if (r.status !== SecStatus.SEC_I_CONTINUE_NEEDED || token === undefined || token.length === 0) {
    return {
      ok: false,
      status: r.status === SecStatus.SEC_I_CONTINUE_NEEDED ? SecStatus.SEC_E_INTERNAL_ERROR : r.status,
      cause: r.cause ?? 'no challenge produced',
    };
  }
  return { ok: true, header: bytesToHeader(token) };
}
