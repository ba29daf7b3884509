import { randomBytes } from 'node:crypto';
import type { AccountStore, NtlmAccount } from './accounts.js';
import { channelBindingsHash } from './crypto/channel-bindings.js';
import type { ChannelBindings } from './crypto/channel-bindings.js';
import { constantTimeEqual as safeEqual, wipe } from '@sspkit/core';
import { hmacMd5 } from './crypto/hashes.js';
import { computeMic } from './crypto/mic.js';
import { ntHash, ntowfv2 } from './crypto/owf.js';
import { rc4Once as rc4k } from '@sspkit/legacy-crypto'; // RC4K, MS-NLMP §6
import { computeResponseV1, kxkeyV1 } from './crypto/responses.js';
import { decodeName, encodeName, NtlmSession } from './context.js';
import type { Environment, NtlmStatus, StepResult } from './context.js';
import { fileTime } from './filetime.js';
import { decodeAuthenticate, MIC_OFFSET } from './messages/authenticate.js';
import type { AuthenticateMessage } from './messages/authenticate.js';
import { AvFlag, AvId, decodeAvPairs, encodeAvPairs, findAvPair } from './messages/av-pairs.js';
import type { AvPair } from './messages/av-pairs.js';
import { encodeChallenge } from './messages/challenge.js';
import { hasFlag, NegotiateFlag as F } from './messages/flags.js';
import { decodeNegotiate } from './messages/negotiate.js';
import { OUR_VERSION } from './messages/version.js';
import { processChallenges } from './reflection.js';
import type { ChallengeLedger } from './reflection.js';
import { upcase } from './upcase.js';

/**
 * How the acceptor treats channel bindings. There is deliberately no default: "none" must be said
 * out loud, because treating a missing binding as all zeros is a classic interop and security trap.
 */
export type ServerChannelBindings =
  | { readonly mode: 'none' }
  | {
      readonly mode: 'require';
      readonly bindings: ChannelBindings;
      /**
       * ASC_REQ_ALLOW_MISSING_BINDINGS: a client that sends no binding (absent or all zeros) is let
       * through; one that sends a different binding is still refused.
       */
      readonly allowMissing?: boolean;
    };

/**
 * Whether the client's MsvAvTargetName (the SPN it meant to reach, covered by its NTProofStr) must
 * name one of this server's service names — Windows' SPN check of Extended Protection
 * (SmbServerNameHardeningLevel 0 / 1 / 2 has the same three levels):
 * - `off`: not checked (the default, as on Windows);
 * - `allow-missing`: a client that sends a target name must name one of `spns`; one that sends none
 *   (older clients) is accepted;
 * - `required`: the client must send a target name, and it must be one of `spns`.
 * Names compare as account names do (Windows upper-casing, then ordinal).
 */
export type TargetNamePolicy =
  { readonly mode: 'off' } | { readonly mode: 'allow-missing' | 'required'; readonly spns: readonly string[] };

/** Acceptor options. */
export interface NtlmServerOptions {
  readonly accounts: AccountStore;
  /** NetBIOS domain (or workgroup) name advertised as TargetName and MsvAvNbDomainName. */
  readonly domain: string;
  /** NetBIOS computer name (MsvAvNbComputerName). */
  readonly computer: string;
  readonly dnsDomain?: string;
  readonly dnsComputer?: string;
  readonly channelBindings: ServerChannelBindings;
  /** Accept NTLMv1 (24-byte) responses. Off by default. */
  readonly allowNtlmV1?: boolean;
  /**
   * Let accounts whose password is empty log on. Off by default, as Windows' LimitBlankPasswordUse
   * refuses blank-password logons over the network.
   */
  readonly allowBlankPasswords?: boolean;
  /**
   * What the caller asked for (ASC_REQ_INTEGRITY / ASC_REQ_CONFIDENTIALITY): an AUTHENTICATE that
   * does not keep NTLMSSP_NEGOTIATE_SIGN / SEAL fails instead of completing without them.
   */
  readonly require?: { readonly integrity?: boolean; readonly confidentiality?: boolean };
  /** The SPN check on MsvAvTargetName (default `off`). */
  readonly targetNames?: TargetNamePolicy;
  /**
   * Where this acceptor records the server challenges it issues while it waits for the AUTHENTICATE,
   * so that clients of this process refuse to answer them (default: the process-wide ledger).
   */
  readonly challenges?: ChallengeLedger;
  readonly env: Environment;
}

/** Flags the acceptor is willing to select. */
const SUPPORTED =
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

type State = 'initial' | 'await-authenticate' | 'done' | 'failed';

const ZERO16 = new Uint8Array(16);

/** NTOWFv1("") (MS-NLMP §3.3.1), the NT hash of an empty password. */
const BLANK_NT_HASH = ntHash('');

/**
 * The key an unknown user is checked against: random, of the same kind as an NT hash, so that an
 * unknown user costs the same NTOWFv2, HMAC and comparisons as a known one with a wrong password and
 * the answer's timing does not tell them apart.
 */
const UNKNOWN_USER_HASH = new Uint8Array(randomBytes(16));

/** The NTLM acceptor state machine (MS-NLMP §3.2.5): NEGOTIATE → CHALLENGE, AUTHENTICATE → done. */
export class NtlmServer {
  #state: State = 'initial';
  #negotiate: Uint8Array = new Uint8Array(0);
  #challenge: Uint8Array = new Uint8Array(0);
  #serverChallenge: Uint8Array = new Uint8Array(0);
  #flags = 0;
  #session: NtlmSession | undefined;
  #bindings: ServerChannelBindings;
  /** A later leg gave other bindings than an earlier one: the context fails at AUTHENTICATE. */
  #bindingsConflict = false;
  /** The AV pairs our CHALLENGE carried; an NTLMv2 client must echo them (MS-NLMP §3.1.5.1.2). */
  #sentPairs: AvPair[] = [];
  readonly #opts: NtlmServerOptions;
  readonly #ledger: ChallengeLedger;

  constructor(opts: NtlmServerOptions) {
    this.#opts = opts;
    this.#ledger = opts.challenges ?? processChallenges;
    this.#bindings = opts.channelBindings;
  }

  /** The established session once the handshake is complete. */
  get session(): NtlmSession | undefined {
    return this.#session;
  }

  /**
   * One AcceptSecurityContext leg. Never throws: every failure is a status. `channelBindings`
   * overrides the constructor's policy for this and later legs (the SSPI adapter passes what the
   * caller supplied, or an explicit 'none').
   */
  async step(input: Uint8Array, channelBindings?: ServerChannelBindings): Promise<StepResult> {
    if (channelBindings) this.#adoptBindings(channelBindings);
    try {
      if (this.#state === 'initial') return this.#challengeFor(input);
      if (this.#state === 'await-authenticate') return await this.#verify(input);
      return this.#fail('SEC_E_OUT_OF_SEQUENCE', `unexpected call in state ${this.#state}`);
    } catch {
      return this.#fail('SEC_E_INTERNAL_ERROR', 'internal error while checking a message');
    }
  }

  /**
   * Bindings only ever tighten: once a leg required bindings, a later leg without them keeps the
   * requirement (no downgrade between legs), and different bindings fail the context.
   */
  #adoptBindings(next: ServerChannelBindings): void {
    const current = this.#bindings;
    if (current.mode !== 'require') {
      this.#bindings = next;
      return;
    }
    if (
      next.mode === 'require' &&
      !safeEqual(channelBindingsHash(next.bindings), channelBindingsHash(current.bindings))
    )
      this.#bindingsConflict = true;
  }

  /** Forgets keys. */
  wipe(): void {
    this.#ledger.forget(this.#serverChallenge);
    this.#session?.wipe();
  }

  #fail(status: NtlmStatus, reason: string): StepResult {
    this.#state = 'failed';
    this.#ledger.forget(this.#serverChallenge);
    return { status, reason };
  }

  #challengeFor(input: Uint8Array): StepResult {
    const neg = decodeNegotiate(input);
    if (!neg.ok) return this.#fail('SEC_E_INVALID_TOKEN', neg.error.detail);
    const asked = neg.value.flags >>> 0;
    let flags = (asked & SUPPORTED) >>> 0;
    // One character set: Unicode wins; NTLM and target info are always on for NTLMv2.
    flags = hasFlag(asked, F.UNICODE) ? (flags & ~F.OEM) >>> 0 : (flags | F.OEM) >>> 0;
    flags = (flags | F.NTLM | F.TARGET_INFO) >>> 0;
    if (hasFlag(flags, F.REQUEST_TARGET)) flags = (flags | F.TARGET_TYPE_SERVER) >>> 0;
    const o = this.#opts;
    const unicode = hasFlag(flags, F.UNICODE);
    const pairs: AvPair[] = [
      { id: AvId.NB_DOMAIN_NAME, value: encodeName(o.domain, true) },
      { id: AvId.NB_COMPUTER_NAME, value: encodeName(o.computer, true) },
      { id: AvId.DNS_DOMAIN_NAME, value: encodeName(o.dnsDomain ?? o.domain, true) },
      { id: AvId.DNS_COMPUTER_NAME, value: encodeName(o.dnsComputer ?? o.computer, true) },
      { id: AvId.TIMESTAMP, value: fileTime(o.env.now()) },
    ];
    this.#serverChallenge = o.env.randomBytes(8);
    this.#ledger.issued(this.#serverChallenge);
    this.#sentPairs = pairs;
    this.#flags = flags;
    this.#negotiate = new Uint8Array(input);
    this.#challenge = encodeChallenge({
      flags,
      targetName: hasFlag(flags, F.REQUEST_TARGET) ? encodeName(o.computer, unicode) : new Uint8Array(0),
      serverChallenge: this.#serverChallenge,
      targetInfo: encodeAvPairs(pairs),
      ...(hasFlag(flags, F.VERSION) ? { version: OUR_VERSION } : {}),
    });
    this.#state = 'await-authenticate';
    return { status: 'SEC_I_CONTINUE_NEEDED', token: this.#challenge };
  }

  async #verify(input: Uint8Array): Promise<StepResult> {
    const decoded = decodeAuthenticate(input);
    if (!decoded.ok) return this.#fail('SEC_E_INVALID_TOKEN', decoded.error.detail);
    const m = decoded.value;
    // Only flags offered in the CHALLENGE count, whatever the client claims now.
    const flags = (m.flags & this.#flags) >>> 0;
    const unicode = hasFlag(flags, F.UNICODE);
    const user = decodeName(m.userName, unicode);
    const domain = decodeName(m.domainName, unicode);
    const workstation = decodeName(m.workstation, unicode);
    if (user === '' && m.ntChallengeResponse.length === 0)
      return this.#fail('SEC_E_LOGON_DENIED', 'anonymous logon is not supported');

    const found = await this.#opts.accounts.lookup(user, domain);
    // An unknown user goes through the same work as a known one, against a key nobody has.
    const account: NtlmAccount = found ?? { user, domain, ntHash: UNKNOWN_USER_HASH };

    let kxkey: Uint8Array;
    let clientPairs: AvPair[] = [];
    if (m.ntChallengeResponse.length === 24) {
      if (this.#opts.allowNtlmV1 !== true) return this.#fail('SEC_E_LOGON_DENIED', 'NTLMv1 is disabled');
      const r = this.#verifyV1(m, account.ntHash, flags);
      if (!r || !found) {
        wipe(r);
        return this.#fail('SEC_E_LOGON_DENIED', 'unknown user or wrong password');
      }
      kxkey = r;
    } else {
      const nt = m.ntChallengeResponse;
      if (nt.length < 16 + 28 + 4) return this.#fail('SEC_E_INVALID_TOKEN', 'NTLMv2 response too short');
      const proof = nt.subarray(0, 16);
      const blob = nt.subarray(16);
      const parsed = decodeAvPairs(blob.subarray(28));
      if (!parsed.ok) return this.#fail('SEC_E_INVALID_TOKEN', parsed.error.detail);
      clientPairs = parsed.value;
      // The blob (covered by the proof) must echo our target info, timestamp included: a client that
      // saw the timestamp sends a MIC, so a CHALLENGE stripped of it in transit is caught here.
      for (const ours of this.#sentPairs) {
        const echoed = findAvPair(clientPairs, ours.id);
        if (!echoed || !safeEqual(echoed, ours.value))
          return this.#fail('SEC_E_LOGON_DENIED', 'the response does not echo our target information');
      }
      const key = ntowfv2(account.ntHash, user, domain);
      const expected = hmacMd5(key, this.#serverChallenge, blob);
      const good = safeEqual(expected, proof);
      kxkey = hmacMd5(key, proof);
      wipe(key, expected);
      if (!good || !found) {
        wipe(kxkey);
        return this.#fail('SEC_E_LOGON_DENIED', 'unknown user or wrong password');
      }
    }
    // Only now, with the proof checked: a blank password is refused like a wrong one would not be,
    // so telling the two apart needs the (empty) password.
    if (safeEqual(account.ntHash, BLANK_NT_HASH) && this.#opts.allowBlankPasswords !== true) {
      wipe(kxkey);
      const why = 'the account has a blank password, refused over the network (LimitBlankPasswordUse)';
      return this.#fail('SEC_E_LOGON_DENIED', why);
    }

    let exported = kxkey;
    if (hasFlag(flags, F.KEY_EXCH)) {
      if (m.encryptedRandomSessionKey.length !== 16)
        return this.#fail('SEC_E_INVALID_TOKEN', 'missing encrypted session key');
      exported = rc4k(kxkey, m.encryptedRandomSessionKey);
      wipe(kxkey);
    }

    const missing = this.#missingProtection(flags);
    if (missing !== undefined) {
      wipe(exported);
      return this.#fail('SEC_E_UNSUPPORTED_FUNCTION', `${missing} was requested but the client did not negotiate it`);
    }

    const avFlagsRaw = findAvPair(clientPairs, AvId.FLAGS);
    const avFlags =
      avFlagsRaw?.length === 4 ? new DataView(avFlagsRaw.buffer, avFlagsRaw.byteOffset, 4).getUint32(0, true) : 0;
    if ((avFlags & AvFlag.MIC_PRESENT) !== 0) {
      if (!m.mic) return this.#fail('SEC_E_INVALID_TOKEN', 'MsvAvFlags announces a MIC the message lacks');
      const zeroed = new Uint8Array(input);
      zeroed.set(ZERO16, MIC_OFFSET);
      const mic = computeMic(exported, this.#negotiate, this.#challenge, zeroed);
      if (!safeEqual(mic, m.mic)) {
        wipe(exported);
        return this.#fail('SEC_E_MESSAGE_ALTERED', 'MIC mismatch');
      }
    }

    const spnProblem = this.#targetNameProblem(clientPairs);
    if (spnProblem !== undefined) {
      wipe(exported);
      return this.#fail('SEC_E_WRONG_PRINCIPAL', spnProblem);
    }

    const cb = this.#bindings;
    if (this.#bindingsConflict) {
      wipe(exported);
      return this.#fail('SEC_E_BAD_BINDINGS', 'channel bindings changed between legs');
    }
    if (cb.mode === 'require') {
      const sent = findAvPair(clientPairs, AvId.CHANNEL_BINDINGS);
      const want = channelBindingsHash(cb.bindings);
      // Absent or all-zero bindings from the client never satisfy a server that has bindings,
      // unless the caller allowed missing ones (ASC_REQ_ALLOW_MISSING_BINDINGS, as on Windows).
      const missing = !sent || safeEqual(sent, ZERO16);
      if (missing ? cb.allowMissing !== true : !safeEqual(sent, want)) {
        wipe(exported);
        return this.#fail(
          'SEC_E_BAD_BINDINGS',
          missing ? 'the client sent no channel bindings' : 'channel bindings mismatch',
        );
      }
    }

    // The token names the account as stored, never as the client spelt it; a domainless account is
    // one of this server's own, named by the TargetName our CHALLENGE announced (TARGET_TYPE_SERVER).
    const names = { user: account.user, domain: account.domain || this.#opts.computer, workstation };
    this.#session = new NtlmSession(false, flags, names, exported);
    this.#state = 'done';
    this.#ledger.forget(this.#serverChallenge);
    return { status: 'SEC_E_OK' };
  }

  /** The protection the acceptor's caller required that the negotiated flags lack, if any. */
  #missingProtection(flags: number): string | undefined {
    const need = this.#opts.require;
    if (need?.confidentiality === true && !hasFlag(flags, F.SEAL)) return 'confidentiality (NTLMSSP_NEGOTIATE_SEAL)';
    if (need?.integrity === true && !hasFlag(flags, F.SIGN)) return 'integrity (NTLMSSP_NEGOTIATE_SIGN)';
    return undefined;
  }

  /** Why the client's MsvAvTargetName fails the SPN policy, or undefined when it passes. */
  #targetNameProblem(clientPairs: readonly AvPair[]): string | undefined {
    const policy = this.#opts.targetNames ?? { mode: 'off' };
    if (policy.mode === 'off') return undefined;
    const raw = findAvPair(clientPairs, AvId.TARGET_NAME);
    const sent = raw ? decodeName(raw, true) : '';
    if (sent === '') {
      if (policy.mode === 'allow-missing') return undefined;
      return 'the AUTHENTICATE names no target SPN (MsvAvTargetName), which this server requires';
    }
    const want = upcase(sent);
    if (policy.spns.some((spn) => upcase(spn) === want)) return undefined;
    // JSON quoting: the name is the client's text, and causes end up in logs.
    return `the client meant to reach ${JSON.stringify(sent)}, which is not one of this server's service names`;
  }

  /** NTLMv1 check (opt-in): returns the key exchange key, or undefined when the response is wrong. */
  #verifyV1(m: AuthenticateMessage, ntHashValue: Uint8Array, flags: number): Uint8Array | undefined {
    const ess = hasFlag(flags, F.EXTENDED_SESSIONSECURITY);
    const clientChallenge = m.lmChallengeResponse.subarray(0, 8);
    if (ess && clientChallenge.length !== 8) return undefined;
    const r = computeResponseV1(ntHashValue, undefined, this.#serverChallenge, clientChallenge, ess);
    if (!safeEqual(r.ntChallengeResponse, m.ntChallengeResponse)) return undefined;
    return kxkeyV1(r.sessionBaseKey, m.lmChallengeResponse, this.#serverChallenge, undefined, {
      ess,
      lmKey: false,
      nonNtSessionKey: false,
    });
  }
}
