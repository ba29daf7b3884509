import { channelBindingsHash } from './crypto/channel-bindings.js';
import type { ChannelBindings } from './crypto/channel-bindings.js';
import { wipe } from '@sspkit/core';
import { computeMic } from './crypto/mic.js';
import { ntowfv2 } from './crypto/owf.js';
import { rc4Once as rc4k } from '@sspkit/legacy-crypto'; // RC4K, MS-NLMP §6
import { computeResponseV1, computeResponseV2, kxkeyV1 } from './crypto/responses.js';
import type { ResponseResult } from './crypto/responses.js';
import { resolveCredentials } from './credentials.js';
import type { NtlmCredentials, ResolvedCredentials } from './credentials.js';
import { encodeName, NtlmSession } from './context.js';
import type { Environment, StepResult } from './context.js';
import { fileTime } from './filetime.js';
import { encodeAuthenticate, MIC_OFFSET } from './messages/authenticate.js';
import { AvFlag, AvId, decodeAvPairs, encodeAvPairs, findAvPair, setAvPair } from './messages/av-pairs.js';
import { decodeChallenge } from './messages/challenge.js';
import { hasFlag, NegotiateFlag as F } from './messages/flags.js';
import { encodeNegotiate } from './messages/negotiate.js';
import { OUR_VERSION } from './messages/version.js';
import { processChallenges } from './reflection.js';
import type { ChallengeLedger } from './reflection.js';

/** Initiator options. */
export interface NtlmClientOptions {
  readonly credentials: NtlmCredentials;
  /** SPN sent as MsvAvTargetName (e.g. "HTTP/server.example"). */
  readonly targetName?: string;
  /** Channel bindings sent as MsvAvChannelBindings (MD5 of the bindings structure). */
  readonly channelBindings?: ChannelBindings;
  /**
   * Send NTLMv1 responses instead of NTLMv2. Off by default: NTLMv1 is broken (DES of the NT hash)
   * and exists only for legacy peers that cannot do v2.
   */
  readonly useNtlmV1?: boolean;
  /**
   * What the caller asked for (ISC_REQ_INTEGRITY / ISC_REQ_CONFIDENTIALITY): a CHALLENGE that does not
   * grant NTLMSSP_NEGOTIATE_SIGN / SEAL fails the handshake instead of completing without them.
   */
  readonly require?: { readonly integrity?: boolean; readonly confidentiality?: boolean };
  /**
   * Answer CHALLENGEs issued by this process's own acceptors (reflection). Off by default: such a
   * CHALLENGE is refused with SEC_E_LOGON_DENIED. For in-process client/server pairs only.
   */
  readonly allowReflection?: boolean;
  /** Where the acceptors' issued challenges are looked up (default: the process-wide ledger). */
  readonly challenges?: ChallengeLedger;
  readonly env: Environment;
}

/** Flags this initiator asks for: NTLMv2 + ESS + key exchange + 128-bit + sign/seal + version. */
const CLIENT_FLAGS =
  (F.UNICODE |
    F.OEM |
    F.REQUEST_TARGET |
    F.SIGN |
    F.SEAL |
    F.ALWAYS_SIGN |
    F.NTLM |
    F.EXTENDED_SESSIONSECURITY |
    F.TARGET_INFO |
    F.VERSION |
    F.NEGOTIATE_128 |
    F.KEY_EXCH |
    F.NEGOTIATE_56) >>>
  0;

type State = 'initial' | 'await-challenge' | 'done' | 'failed';

/** The NTLM initiator state machine (MS-NLMP §3.1.5): NEGOTIATE → (CHALLENGE) → AUTHENTICATE. */
export class NtlmClient {
  #state: State = 'initial';
  #negotiate: Uint8Array | undefined;
  #creds: ResolvedCredentials;
  #session: NtlmSession | undefined;
  #bindings: ChannelBindings | undefined;
  readonly #opts: NtlmClientOptions;

  constructor(opts: NtlmClientOptions) {
    this.#opts = opts;
    this.#bindings = opts.channelBindings;
    this.#creds = resolveCredentials(opts.credentials, opts.useNtlmV1 === true);
  }

  /** The established session once the handshake is complete. */
  get session(): NtlmSession | undefined {
    return this.#session;
  }

  /**
   * One InitializeSecurityContext leg: no input → NEGOTIATE; CHALLENGE → AUTHENTICATE.
   * `channelBindings` (from a SECBUFFER_CHANNEL_BINDINGS buffer) overrides the constructor's.
   */
  step(input?: Uint8Array, channelBindings?: ChannelBindings): StepResult {
    if (channelBindings) this.#bindings = channelBindings;
    try {
      if (this.#state === 'initial' && (input === undefined || input.length === 0)) return this.#start();
      if (this.#state === 'await-challenge' && input !== undefined) return this.#respond(input);
      return this.#fail('SEC_E_OUT_OF_SEQUENCE', `unexpected call in state ${this.#state}`);
    } catch {
      return this.#fail('SEC_E_INTERNAL_ERROR', 'internal error while building a message');
    }
  }

  /** Forgets hashes and keys. */
  wipe(): void {
    wipe(this.#creds.ntHash, this.#creds.lmHash);
    this.#session?.wipe();
  }

  #fail(status: StepResult['status'], reason: string): StepResult {
    this.#state = 'failed';
    return { status, reason };
  }

  #lmKeyUsable(): boolean {
    return this.#opts.useNtlmV1 === true && this.#creds.lmHash !== undefined;
  }

  #start(): StepResult {
    let flags = CLIENT_FLAGS;
    // LM_KEY only makes sense with an LM hash, i.e. NTLMv1 opted in and a short password given.
    if (this.#lmKeyUsable()) flags = (flags | F.LM_KEY) >>> 0;
    this.#negotiate = encodeNegotiate({
      flags,
      domainName: new Uint8Array(0),
      workstation: new Uint8Array(0),
      version: OUR_VERSION,
    });
    this.#state = 'await-challenge';
    return { status: 'SEC_I_CONTINUE_NEEDED', token: this.#negotiate };
  }

  #respond(challengeBytes: Uint8Array): StepResult {
    const decoded = decodeChallenge(challengeBytes);
    if (!decoded.ok) return this.#fail('SEC_E_INVALID_TOKEN', decoded.error.detail);
    const ch = decoded.value;
    const ledger = this.#opts.challenges ?? processChallenges;
    if (this.#opts.allowReflection !== true && ledger.wasIssued(ch.serverChallenge)) {
      return this.#fail(
        'SEC_E_LOGON_DENIED',
        'reflected CHALLENGE: its server challenge was issued by an NTLM acceptor in this process ' +
          '(in-process client/server pairs opt out with createNtlmModule({ allowReflection: true }))',
      );
    }
    const env = this.#opts.env;
    const v1 = this.#opts.useNtlmV1 === true;
    // The server's CHALLENGE flags are its choice among ours; never take a flag we did not offer.
    const flags = (ch.flags & (CLIENT_FLAGS | (this.#lmKeyUsable() ? F.LM_KEY : 0))) >>> 0;
    if (!hasFlag(flags, F.NTLM)) return this.#fail('SEC_E_INVALID_TOKEN', 'server did not select NTLM');
    const need = this.#opts.require;
    if (need?.confidentiality === true && !hasFlag(flags, F.SEAL)) {
      const why = 'confidentiality was requested but the CHALLENGE does not grant NTLMSSP_NEGOTIATE_SEAL';
      return this.#fail('SEC_E_UNSUPPORTED_FUNCTION', why);
    }
    if (need?.integrity === true && !hasFlag(flags, F.SIGN)) {
      const why = 'integrity was requested but the CHALLENGE does not grant NTLMSSP_NEGOTIATE_SIGN';
      return this.#fail('SEC_E_UNSUPPORTED_FUNCTION', why);
    }
    const unicode = hasFlag(flags, F.UNICODE);
    const c = this.#creds;
    const clientChallenge = env.randomBytes(8);

    let res: ResponseResult;
    let kxkey: Uint8Array;
    let withMic = false;
    if (v1) {
      const ess = hasFlag(flags, F.EXTENDED_SESSIONSECURITY);
      res = computeResponseV1(c.ntHash, c.lmHash, ch.serverChallenge, clientChallenge, ess);
      kxkey = kxkeyV1(res.sessionBaseKey, res.lmChallengeResponse, ch.serverChallenge, c.lmHash, {
        ess,
        lmKey: hasFlag(flags, F.LM_KEY),
        nonNtSessionKey: hasFlag(flags, F.REQUEST_NON_NT_SESSION_KEY),
      });
    } else {
      const parsed = decodeAvPairs(ch.targetInfo.length > 0 ? ch.targetInfo : new Uint8Array(4));
      if (!parsed.ok) return this.#fail('SEC_E_INVALID_TOKEN', parsed.error.detail);
      let pairs = parsed.value;
      const serverTime = findAvPair(pairs, AvId.TIMESTAMP);
      // MS-NLMP §3.1.5.1.2: with a server timestamp the client must send a MIC and says so in MsvAvFlags.
      if (serverTime?.length === 8) {
        withMic = true;
        const old = findAvPair(pairs, AvId.FLAGS);
        const prev = old?.length === 4 ? new DataView(old.buffer, old.byteOffset, 4).getUint32(0, true) : 0;
        const v = new Uint8Array(4);
        new DataView(v.buffer).setUint32(0, (prev | AvFlag.MIC_PRESENT) >>> 0, true);
        pairs = setAvPair(pairs, AvId.FLAGS, v);
      }
      if (this.#bindings) pairs = setAvPair(pairs, AvId.CHANNEL_BINDINGS, channelBindingsHash(this.#bindings));
      if (this.#opts.targetName !== undefined)
        pairs = setAvPair(pairs, AvId.TARGET_NAME, encodeName(this.#opts.targetName, true));
      const time = serverTime?.length === 8 ? serverTime : fileTime(env.now());
      const key = ntowfv2(c.ntHash, c.user, c.domain);
      const r = computeResponseV2(key, ch.serverChallenge, clientChallenge, time, encodeAvPairs(pairs));
      wipe(key);
      // With a timestamp the LMv2 response is replaced by Z(24) (MS-NLMP §3.1.5.1.2).
      res = withMic ? { ...r, lmChallengeResponse: new Uint8Array(24) } : r;
      kxkey = res.sessionBaseKey;
    }

    let exported = kxkey;
    let encryptedKey: Uint8Array = new Uint8Array(0);
    if (hasFlag(flags, F.KEY_EXCH)) {
      exported = env.randomBytes(16);
      encryptedKey = rc4k(kxkey, exported);
      wipe(kxkey);
    }

    const msg = {
      flags,
      lmChallengeResponse: res.lmChallengeResponse,
      ntChallengeResponse: res.ntChallengeResponse,
      domainName: encodeName(c.domain, unicode),
      userName: encodeName(c.user, unicode),
      workstation: encodeName(c.workstation, unicode),
      encryptedRandomSessionKey: encryptedKey,
      version: OUR_VERSION,
      ...(withMic ? { mic: new Uint8Array(16) } : {}),
    };
    const auth = encodeAuthenticate(msg);
    if (withMic) auth.set(computeMic(exported, this.#negotiate ?? new Uint8Array(0), challengeBytes, auth), MIC_OFFSET);

    this.#session = new NtlmSession(
      true,
      flags,
      { user: c.user, domain: c.domain, workstation: c.workstation },
      exported,
    );
    this.#state = 'done';
    return { status: 'SEC_E_OK', token: auth };
  }
}
