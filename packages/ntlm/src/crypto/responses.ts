import { des7, desl } from './des.js';
import { concat } from '@sspkit/core';
import { hmacMd5, md5 } from './hashes.js';
import { md4 } from './md4.js';

/** The result of ComputeResponse (MS-NLMP §3.3.1 / §3.3.2). */
export interface ResponseResult {
  readonly ntChallengeResponse: Uint8Array;
  readonly lmChallengeResponse: Uint8Array;
  readonly sessionBaseKey: Uint8Array;
}

/**
 * The NTLMv2_CLIENT_CHALLENGE blob ("temp" in MS-NLMP §3.3.2): Responserversion, HiResponserversion,
 * Z(6), Time, ClientChallenge, Z(4), ServerName (the AV pairs), Z(4).
 */
function clientChallengeBlob(time: Uint8Array, clientChallenge: Uint8Array, targetInfo: Uint8Array): Uint8Array {
  const head = new Uint8Array(28);
  head[0] = 1;
  head[1] = 1;
  head.set(time.subarray(0, 8), 8);
  head.set(clientChallenge.subarray(0, 8), 16);
  return concat(head, targetInfo, new Uint8Array(4));
}

/** ComputeResponse for NTLMv2 (MS-NLMP §3.3.2), given ResponseKeyNT (= ResponseKeyLM). */
export function computeResponseV2(
  responseKey: Uint8Array,
  serverChallenge: Uint8Array,
  clientChallenge: Uint8Array,
  time: Uint8Array,
  targetInfo: Uint8Array,
): ResponseResult & { readonly ntProofStr: Uint8Array } {
  const temp = clientChallengeBlob(time, clientChallenge, targetInfo);
  const ntProofStr = hmacMd5(responseKey, serverChallenge, temp);
  const lm = concat(hmacMd5(responseKey, serverChallenge, clientChallenge), clientChallenge);
  return {
    ntProofStr,
    ntChallengeResponse: concat(ntProofStr, temp),
    lmChallengeResponse: lm,
    sessionBaseKey: hmacMd5(responseKey, ntProofStr),
  };
}

/**
 * ComputeResponse for NTLMv1 (MS-NLMP §3.3.1), opt-in only. With extended session security the
 * response covers MD5(ServerChallenge + ClientChallenge) and the LM field carries the client challenge.
 */
export function computeResponseV1(
  ntHashValue: Uint8Array,
  lmHash: Uint8Array | undefined,
  serverChallenge: Uint8Array,
  clientChallenge: Uint8Array,
  extendedSessionSecurity: boolean,
): ResponseResult {
  let nt: Uint8Array;
  let lm: Uint8Array;
  if (extendedSessionSecurity) {
    nt = desl(ntHashValue, md5(serverChallenge, clientChallenge).subarray(0, 8));
    lm = concat(clientChallenge, new Uint8Array(16));
  } else {
    nt = desl(ntHashValue, serverChallenge);
    // Without an LM hash (long password) the LM field repeats the NT response (MS-NLMP §3.3.1).
    lm = lmHash ? desl(lmHash, serverChallenge) : new Uint8Array(nt);
  }
  return { ntChallengeResponse: nt, lmChallengeResponse: lm, sessionBaseKey: md4(ntHashValue) };
}

/**
 * KXKEY (MS-NLMP §3.4.5.1). For NTLMv2 the key exchange key is the session base key; the v1 variants
 * depend on ESS, LM_KEY and NON_NT_SESSION_KEY.
 */
export function kxkeyV1(
  sessionBaseKey: Uint8Array,
  lmChallengeResponse: Uint8Array,
  serverChallenge: Uint8Array,
  lmHash: Uint8Array | undefined,
  opts: { readonly ess: boolean; readonly lmKey: boolean; readonly nonNtSessionKey: boolean },
): Uint8Array {
  if (opts.ess) return hmacMd5(sessionBaseKey, serverChallenge, lmChallengeResponse.subarray(0, 8));
  const lmh = lmHash ?? new Uint8Array(16);
  if (opts.lmKey) {
    const lmr = lmChallengeResponse.subarray(0, 8);
    const second = new Uint8Array([lmh[7] ?? 0, 0xbd, 0xbd, 0xbd, 0xbd, 0xbd, 0xbd]);
    return concat(des7(lmh.subarray(0, 7), lmr), des7(second, lmr));
  }
  if (opts.nonNtSessionKey) return concat(lmh.subarray(0, 8), new Uint8Array(8));
  return new Uint8Array(sessionBaseKey);
}
