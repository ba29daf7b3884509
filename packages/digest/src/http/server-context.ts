/**
 * Server side of HTTP Digest as an explicit state machine, mirroring the Windows Digest SSP:
 *
 *   initial ──accept(no token)──▶ challenged ──accept(response)──▶ established
 *                                      │                 └─(needs method/body)─▶ pending ──complete──▶ established
 *   established ──accept(next request's response)──▶ pending ──complete──▶ established
 *
 * A response can also arrive on a fresh context (a client reusing a nonce on a new connection): nonces
 * are stateless, so that works, and the shared nonce-count store still catches replays.
 */
import { Buffer } from 'node:buffer';
import { wireToUnicode } from '../bytes.js';
import type { DigestAlgorithm } from '../crypto/algorithms.js';
import { constantTimeEqual } from '@sspkit/core';
import { ha2, hashBody, responseDigest, sessionHa1, userRealmPasswordHash } from '../crypto/http-digest.js';
import { DigestErrorCode, fail, ok } from '../errors.js';
import type { Result } from '../errors.js';
import { formatAuthenticationInfo } from '../messages/authentication-info.js';
import { formatChallenge } from '../messages/challenge.js';
import { parseCredentials } from '../messages/credentials.js';
import type { DigestCredentials } from '../messages/credentials.js';
import type { HttpQop } from '../messages/qop.js';
import type { DigestIdentity, HttpRequestParts, Step } from '../step.js';
import { nonceCountKey } from '../stores/count-key.js';
import type { NonceCountVerdict } from '../stores/nonce-count-store.js';
import { baseHa1For } from '../stores/user-store.js';
import type { DigestUser } from '../stores/user-store.js';
import type { HttpServerCredential } from './server-credential.js';

type State = 'initial' | 'challenged' | 'pending' | 'established';

interface Pending {
  readonly credentials: DigestCredentials;
  readonly user: DigestUser;
  readonly baseHa1: string;
  readonly parts: HttpRequestParts;
  /** Whether a mismatch means tampering (a later request, auth-int) rather than a wrong password. */
  readonly alteredOnMismatch: boolean;
  /** The store knows no such user (or no key for the algorithm): `user` is a decoy, always refused. */
  readonly decoy: boolean;
}

/** What the server's context requirements ask of every response (from ASC_REQ_* flags). */
export interface HttpServerRequirements {
  /** ASC_REQ_INTEGRITY: only qop=auth-int (which covers the entity body) will do. */
  readonly integrity?: boolean;
}

/** One server-side HTTP Digest context. */
export class HttpServerContext {
  readonly #cred: HttpServerCredential;
  readonly #require: HttpServerRequirements;
  #state: State = 'initial';
  #pending: Pending | undefined;
  #identity: DigestIdentity | undefined;
  #algorithm: DigestAlgorithm | undefined;
  #requests = 0;
  /** The qop of the client's latest response: what the context's ASC_RET flags report. */
  #qop: string | undefined;
  // The nonce this context last authenticated, and the key it used: later requests on the same
  // connection reuse both instead of redoing the MAC check and the store lookup.
  #knownNonce: string | undefined;
  /** The nonce-count store key of the last recorded (nonce, user). */
  #countKey: string | undefined;
  #knownKey: { username: string; base: string; user: DigestUser; baseHa1: string } | undefined;

  constructor(credential: HttpServerCredential, require: HttpServerRequirements = {}) {
    this.#cred = credential;
    this.#require = require;
  }

  /** The qop values this context offers: the credential's, narrowed by the context requirements. */
  get #offeredQop(): readonly HttpQop[] {
    return this.#require.integrity === true ? this.#cred.qop.filter((q) => q === 'auth-int') : this.#cred.qop;
  }

  /** The realm this context authenticates for. */
  /** The qop the client chose in its latest response (`auth`, `auth-int`), if any. */
  get qop(): string | undefined {
    return this.#qop;
  }

  get realm(): string {
    return this.#cred.realm;
  }

  /** The realm as it travels in headers (UTF-8 octets as a byte string). */
  get wireRealm(): string {
    return this.#cred.wireRealm;
  }

  /** Current state, for queries and tests. */
  get state(): State {
    return this.#state;
  }

  /** The authenticated user, once established. */
  get identity(): DigestIdentity | undefined {
    return this.#identity;
  }

  /** Algorithm of the last verified response. */
  get algorithm(): DigestAlgorithm | undefined {
    return this.#algorithm;
  }

  /** Number of requests verified on this context. */
  get requests(): number {
    return this.#requests;
  }

  /** A fresh challenge (`WWW-Authenticate` value). */
  challenge(stale = false): string {
    const c = this.#cred;
    return formatChallenge({
      realm: c.wireRealm,
      nonce: c.nonces.issue(c.wireRealm, c.opaque),
      opaque: c.opaque,
      ...(c.domain !== undefined ? { domain: c.domain } : {}),
      stale,
      algorithm: c.algorithm,
      qop: this.#offeredQop,
      utf8: c.utf8,
      userhash: c.userhash,
    });
  }

  /** AcceptSecurityContext: no token → challenge; a response → verify now or ask for completion. */
  async accept(token: string | undefined, parts: HttpRequestParts): Promise<Result<Step>> {
    if (token === undefined || token.trim() === '') {
      if (this.#state === 'pending')
        return fail(DigestErrorCode.InvalidState, 'a response is waiting for CompleteAuthToken');
      if (this.#offeredQop.length === 0)
        return fail(
          DigestErrorCode.QosFailed,
          'ASC_REQ_INTEGRITY asked for, but the credential does not offer qop=auth-int',
        );
      this.#state = 'challenged';
      try {
        return ok({ next: 'continue', completeNeeded: false, token: this.challenge() });
      } catch {
        return fail(DigestErrorCode.IllegalMessage, 'the realm or opaque value cannot be carried in a header');
      }
    }
    const parsed = parseCredentials(token);
    if (!parsed.ok) return fail(parsed.error.code, parsed.error.message);
    const creds = parsed.value;
    const c = this.#cred;
    if (creds.realm !== c.wireRealm) return fail(DigestErrorCode.LogonDenied, 'response is for another realm');
    // RFC 7616 §3.4.4: userhash is the server's offer; unasked, it would only buy a store-wide search.
    if (creds.userhash && !c.userhash) return fail(DigestErrorCode.IllegalMessage, 'userhash was not offered');
    if (!c.accepted.some((a) => a.name === creds.algorithm.name))
      return fail(DigestErrorCode.QopNotSupported, 'algorithm not accepted');
    if (this.#require.integrity === true && creds.qop !== 'auth-int')
      return fail(DigestErrorCode.QosFailed, 'ASC_REQ_INTEGRITY asked for, but the response is not qop=auth-int');
    if (creds.qop === undefined ? !c.allowNoQop : !c.qop.includes(creds.qop))
      return fail(DigestErrorCode.QopNotSupported, 'qop not offered');
    if (creds.opaque !== undefined && creds.opaque !== c.opaque)
      return fail(DigestErrorCode.LogonDenied, 'opaque does not match');
    const verdict =
      creds.nonce === this.#knownNonce
        ? c.nonces.isExpired(creds.nonce)
          ? 'stale'
          : 'valid'
        : c.nonces.check(creds.nonce, c.wireRealm, c.opaque);
    if (verdict === 'invalid') return fail(DigestErrorCode.LogonDenied, 'nonce was not issued by this server');

    const known = this.#knownKey;
    const cached =
      known !== undefined && !creds.userhash && known.username === creds.username && known.base === creds.algorithm.base
        ? known
        : undefined;
    const found = cached?.user ?? (await this.#findUser(creds));
    const foundHa1 = cached?.baseHa1 ?? (found !== undefined ? baseHa1For(found, creds.algorithm) : undefined);
    // An unknown user (or one without a key for this algorithm) goes down the same path as a known
    // one, against a decoy key hashed like a password user's: the refusal takes the same work and
    // comes at the same step (COMPLETE_NEEDED included), so neither time nor status names users.
    const decoy = found === undefined || foundHa1 === undefined;
    const user: DigestUser =
      found !== undefined && !decoy ? found : { username: wireToUnicode(creds.username), realm: c.realm };
    const baseHa1 = foundHa1 ?? userRealmPasswordHash(creds.algorithm, creds.username, c.wireRealm, c.decoyPassword);
    if (this.#identity !== undefined && user.username !== this.#identity.username) {
      return fail(DigestErrorCode.LogonDenied, 'context belongs to another user');
    }
    const later = this.#state === 'established';
    const pending: Pending = {
      credentials: creds,
      user,
      baseHa1,
      parts,
      alteredOnMismatch: later || creds.qop === 'auth-int',
      decoy,
    };
    this.#qop = creds.qop;
    // Windows returns COMPLETE_NEEDED for a later request on an existing context and whenever the
    // method or (auth-int) the entity body is not known yet.
    const needsBody = creds.qop === 'auth-int' && parts.body === undefined && parts.bodyHash === undefined;
    const needsUri = parts.uri === undefined && !c.allowMissingUri;
    if (later || parts.method === undefined || needsBody || needsUri) {
      this.#state = 'pending';
      this.#pending = pending;
      return ok({ next: 'done', completeNeeded: true });
    }
    return this.#verify(pending, verdict === 'stale');
  }

  /** CompleteAuthToken: verifies the pending response with the parts the transport now knows. */
  async complete(parts: HttpRequestParts): Promise<Result<Step>> {
    const p = this.#pending;
    if (this.#state !== 'pending' || p === undefined) return fail(DigestErrorCode.InvalidState, 'nothing to complete');
    // CompleteAuthToken describes the final message: a method never named is GET (the client's
    // default too), a body never supplied is empty.
    const known: HttpRequestParts = { method: 'GET', ...p.parts, ...definedOnly(parts) };
    const merged: HttpRequestParts =
      known.body === undefined && known.bodyHash === undefined ? { ...known, body: new Uint8Array(0) } : known;
    const stale = this.#cred.nonces.isExpired(p.credentials.nonce);
    return this.#verify({ ...p, parts: merged }, stale);
  }

  async #verify(p: Pending, stale: boolean): Promise<Result<Step>> {
    const creds = p.credentials;
    const a = creds.algorithm;
    if (p.parts.uri === undefined && !this.#cred.allowMissingUri) {
      this.#reset();
      return fail(
        DigestErrorCode.InvalidParameter,
        'no request URI was given ([2] PKG_PARAMS): the response cannot be bound to the request',
      );
    }
    if (p.parts.uri !== undefined && p.parts.uri !== creds.uri) {
      this.#reset();
      return fail(DigestErrorCode.IllegalMessage, 'uri parameter does not match the request');
    }
    const ha1 = sessionHa1(a, p.baseHa1, creds.nonce, creds.cnonce);
    const bodyHash =
      p.parts.bodyHash?.toLowerCase() ?? (p.parts.body !== undefined ? hashBody(a, p.parts.body) : undefined);
    const h2 = ha2(a, {
      method: p.parts.method ?? '',
      uri: creds.uri,
      qop: creds.qop,
      ...(bodyHash !== undefined ? { bodyHash } : {}),
    });
    const expected = responseDigest(a, { ha1, nonce: creds.nonce, qop: creds.qop, ...nonceFields(creds), ha2: h2 });
    const matches = constantTimeEqual(expected, creds.response);
    if (!matches || p.decoy) {
      this.#reset();
      const why = p.decoy
        ? 'unknown user, or no key for this algorithm'
        : p.alteredOnMismatch
          ? 'response does not match the message'
          : 'response does not match';
      return fail(p.alteredOnMismatch ? DigestErrorCode.MessageAltered : DigestErrorCode.LogonDenied, why);
    }
    if (stale) return this.#staleChallenge();
    let countKey: string | undefined;
    if (creds.nc !== undefined) {
      // One record per (nonce, user): another user's counts on a (public) nonce cannot burn ours.
      // Later requests on the connection reuse the key computed for the nonce and user they share.
      const reuse = this.#countKey !== undefined && creds.nonce === this.#knownNonce && p.user === this.#knownKey?.user;
      const key =
        reuse && this.#countKey !== undefined
          ? this.#countKey
          : nonceCountKey(creds.nonce, p.user.username, p.user.realm);
      countKey = key;
      const seen = await this.#recordCount(key, creds.nc, creds.nonce);
      if (typeof seen !== 'string') {
        this.#reset();
        return seen;
      }
      if (seen === 'replay') {
        this.#pending = undefined;
        this.#state = this.#identity !== undefined ? 'established' : 'challenged';
        return fail(DigestErrorCode.OutOfSequence, 'nonce count already used');
      }
      // The store retired this nonce early, or has no room for it: its counts may be gone, so it is
      // used up (accepting it could replay a forgotten count) and the client retries with a fresh one.
      if (seen === 'full') return this.#staleChallenge();
    }
    this.#state = 'established';
    this.#pending = undefined;
    this.#algorithm = a;
    // A flat copy: the parsed nonce is a slice that would keep the whole header alive.
    if (creds.nonce !== this.#knownNonce) this.#knownNonce = Buffer.from(creds.nonce, 'latin1').toString('latin1');
    this.#knownKey = { username: creds.username, base: a.base, user: p.user, baseHa1: p.baseHa1 };
    this.#countKey = countKey;
    this.#requests++;
    this.#identity = { username: p.user.username, realm: p.user.realm, groups: p.user.groups ?? [] };
    const rspauth = responseDigest(a, {
      ha1,
      nonce: creds.nonce,
      qop: creds.qop,
      ...nonceFields(creds),
      ha2: ha2(a, { method: '', uri: creds.uri, qop: creds.qop, ...(bodyHash !== undefined ? { bodyHash } : {}) }),
    });
    // RFC 7616 §3.5: past half its lifetime, the nonce's successor goes out with the answer, so a
    // client that follows it never meets a stale challenge (its counts start again at 1).
    const c = this.#cred;
    const ageing = c.nonces.now() - c.nonces.issuedAt(creds.nonce) > c.nonces.lifetimeMs / 2;
    const info = formatAuthenticationInfo({
      rspauth,
      ...(creds.qop !== undefined ? { qop: creds.qop } : {}),
      ...(creds.cnonce !== undefined ? { cnonce: creds.cnonce } : {}),
      ...(creds.nc !== undefined ? { nc: creds.nc } : {}),
      ...(ageing ? { nextnonce: c.nonces.issue(c.wireRealm, c.opaque) } : {}),
    });
    return ok({ next: 'done', completeNeeded: false, token: info });
  }

  // RFC 7616 §3.3: the digest was right, only the nonce is unusable, so the client may retry silently.
  #staleChallenge(): Result<Step> {
    this.#state = 'challenged';
    this.#pending = undefined;
    return ok({ next: 'continue', completeNeeded: false, token: this.challenge(true) });
  }

  // A shared store may be down or slow: its rejection (or a verdict it has no word for) refuses the
  // response with a cause, never accepts it; nothing is recorded, so the client's retry can succeed.
  async #recordCount(key: string, nc: number, nonce: string): Promise<NonceCountVerdict | Result<Step>> {
    let seen: unknown;
    try {
      const nonces = this.#cred.nonces;
      seen = await this.#cred.nonceCounts.record(key, nc, nonces.retainUntil(nonce), nonces.issuedAt(nonce));
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return fail(
        DigestErrorCode.AuthorityUnavailable,
        `the nonce-count store did not answer (${why.slice(0, 200)}): refused rather than unchecked`,
      );
    }
    if (seen === 'fresh' || seen === 'replay' || seen === 'full') return seen;
    return fail(DigestErrorCode.AuthorityUnavailable, 'the nonce-count store answered no verdict: refused');
  }

  async #findUser(creds: DigestCredentials): Promise<DigestUser | undefined> {
    const store = this.#cred.users;
    if (creds.userhash)
      return store.lookupByUserhash?.(creds.username.toLowerCase(), this.#cred.realm, creds.algorithm);
    return store.lookup(wireToUnicode(creds.username), this.#cred.realm);
  }

  #reset(): void {
    this.#pending = undefined;
    this.#state = this.#identity !== undefined ? 'established' : 'challenged';
  }
}

function nonceFields(creds: DigestCredentials): { nc?: number; cnonce?: string } {
  return {
    ...(creds.nc !== undefined ? { nc: creds.nc } : {}),
    ...(creds.cnonce !== undefined ? { cnonce: creds.cnonce } : {}),
  };
}

function definedOnly(parts: HttpRequestParts): HttpRequestParts {
  return Object.fromEntries(Object.entries(parts).filter(([, v]) => v !== undefined));
}
