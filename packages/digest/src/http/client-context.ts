/**
 * Client side of HTTP Digest, mirroring the Windows Digest SSP: InitializeSecurityContext answers a
 * challenge (or a stale re-challenge), MakeSignature answers each later request with the next nonce
 * count, and an `Authentication-Info` fed back through InitializeSecurityContext checks `rspauth`.
 */
import { randomBytes } from 'node:crypto';
import { unicodeToWire } from '../bytes.js';
import { ha2, hashBody, responseDigest, sessionHa1, userhash, userRealmPasswordHash } from '../crypto/http-digest.js';
import { constantTimeEqual } from '@sspkit/core';
import type { DigestAlgorithmName } from '../crypto/algorithms.js';
import { DigestErrorCode, fail, ok } from '../errors.js';
import type { Result } from '../errors.js';
import { parseAuthenticationInfo } from '../messages/authentication-info.js';
import { selectDigestChallenge } from '../messages/challenge-list.js';
import type { DigestChallenge } from '../messages/challenge.js';
import { formatCredentials } from '../messages/credentials.js';
import type { HttpQop } from '../messages/qop.js';
import type { HttpRequestParts, Step } from '../step.js';

/** The client's secret: a user name and password (Unicode). */
export interface DigestClientSecret {
  readonly username: string;
  readonly password: string;
  /** If set, only challenges for this realm are answered. */
  readonly realm?: string;
}

/** Client preferences derived from ISC_REQ flags. */
export interface HttpClientOptions {
  /** Prefer qop=auth-int when offered (ISC_REQ_INTEGRITY). */
  readonly integrity?: boolean;
  /** Expect and check the server's rspauth (ISC_REQ_MUTUAL_AUTH). */
  readonly mutual?: boolean;
  /**
   * Algorithms the client answers with (default: all). Of the Digest challenges a field value lists,
   * the strongest allowed one is answered; a client that must not fall back to MD5 leaves it out.
   */
  readonly algorithms?: readonly DigestAlgorithmName[];
}

interface Session {
  readonly challenge: DigestChallenge;
  readonly qop: HttpQop | undefined;
  readonly cnonce: string;
  nonce: string;
  nc: number;
  baseHa1: string;
}

interface LastRequest {
  readonly method: string;
  readonly uri: string;
  readonly nonce: string;
  readonly nc: number;
  readonly bodyHash: string | undefined;
}

/** One client-side HTTP Digest context. */
export class HttpClientContext {
  readonly #secret: DigestClientSecret;
  readonly #options: HttpClientOptions;
  #session: Session | undefined;
  #pending: { uri: string; method: string } | undefined;
  #last: LastRequest | undefined;
  #serverVerified = false;

  constructor(secret: DigestClientSecret, options: HttpClientOptions = {}) {
    this.#secret = secret;
    this.#options = options;
  }

  /** Whether the server proved knowledge of the secret (rspauth checked). */
  get serverVerified(): boolean {
    return this.#serverVerified;
  }

  /** The qop in use, once a challenge was answered. */
  get qop(): HttpQop | undefined {
    return this.#session?.qop;
  }

  /** The realm being authenticated to, once a challenge was answered. */
  get realm(): string | undefined {
    return this.#session?.challenge.realm;
  }

  /** Method and URI of the last request this context answered (a stale re-answer is for it). */
  get lastRequest(): { readonly method: string; readonly uri: string } | undefined {
    return this.#last !== undefined ? { method: this.#last.method, uri: this.#last.uri } : undefined;
  }

  /** Name of the algorithm in use. */
  get algorithmName(): string | undefined {
    return this.#session?.challenge.algorithm.name;
  }

  /**
   * InitializeSecurityContext: a challenge starts (or, when stale, restarts) the session; an
   * Authentication-Info value checks the server's rspauth.
   */
  initialize(token: string, uri: string, parts: HttpRequestParts): Result<Step> {
    const trimmed = token.trimStart();
    if (this.#session !== undefined && !/^digest[ \t]/i.test(trimmed) && /\brspauth\b|\bnextnonce\b/i.test(trimmed)) {
      return this.#checkInfo(trimmed);
    }
    // A field value may list several challenges (RFC 7235 §4.1); a bare parameter list is one
    // Digest challenge without its scheme.
    const allowed = this.#options.algorithms;
    const listed = selectDigestChallenge(trimmed, allowed);
    const parsed =
      listed.ok || /^digest[ \t]/i.test(trimmed) || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+[ \t]*=/.test(trimmed)
        ? listed
        : selectDigestChallenge(`Digest ${trimmed}`, allowed);
    if (!parsed.ok) return fail(parsed.error.code, parsed.error.message);
    const c = parsed.value;
    if (this.#session !== undefined && !c.stale)
      return fail(DigestErrorCode.LogonDenied, 'server rejected the credentials');
    if (this.#secret.realm !== undefined && unicodeToWire(this.#secret.realm) !== c.realm)
      return fail(DigestErrorCode.NoCredentials, 'no credentials for this realm');
    let qop: HttpQop | undefined;
    if (c.qop.length > 0) {
      const wantInt = this.#options.integrity === true && c.qop.includes('auth-int');
      qop = wantInt || !c.qop.includes('auth') ? 'auth-int' : 'auth';
    } else if (c.algorithm.session) {
      return fail(DigestErrorCode.IllegalMessage, 'session algorithm offered without qop');
    }
    const username = unicodeToWire(this.#secret.username);
    this.#session = {
      challenge: c,
      qop,
      cnonce: randomBytes(18).toString('base64'),
      nonce: c.nonce,
      nc: 0,
      baseHa1: userRealmPasswordHash(c.algorithm, username, c.realm, unicodeToWire(this.#secret.password)),
    };
    this.#serverVerified = false;
    const method = parts.method ?? 'GET';
    if (qop === 'auth-int' && parts.body === undefined && parts.bodyHash === undefined) {
      this.#pending = { uri, method };
      return ok({ next: 'done', completeNeeded: true });
    }
    // The client side is done once it has answered: HTTP has no further leg it must wait for. The
    // server's Authentication-Info (rspauth, nextnonce) or a stale challenge may still be fed back.
    const answer = this.#safeRespond(method, uri, parts);
    return answer.ok
      ? ok({ next: 'done', completeNeeded: false, token: answer.value })
      : fail(answer.error.code, answer.error.message);
  }

  /** CompleteAuthToken: finishes an auth-int response once the entity body is known. */
  complete(parts: HttpRequestParts): Result<string> {
    const p = this.#pending;
    if (p === undefined || this.#session === undefined)
      return fail(DigestErrorCode.InvalidState, 'nothing to complete');
    // CompleteAuthToken describes the final message: no body in it means an empty body.
    this.#pending = undefined;
    return this.#safeRespond(
      parts.method ?? p.method,
      p.uri,
      parts.body === undefined && parts.bodyHash === undefined ? { ...parts, body: new Uint8Array(0) } : parts,
    );
  }

  /** MakeSignature: the Authorization value of the next request on this context (nc + 1). */
  nextRequest(method: string, uri: string, parts: HttpRequestParts): Result<string> {
    if (this.#session === undefined) return fail(DigestErrorCode.InvalidState, 'no challenge answered yet');
    if (this.#session.qop === 'auth-int' && parts.body === undefined && parts.bodyHash === undefined) {
      return fail(DigestErrorCode.IllegalMessage, 'auth-int needs the entity body');
    }
    return this.#safeRespond(method, uri, parts);
  }

  // A user name, URI or method with CR/LF or other control characters cannot travel in a header.
  #safeRespond(method: string, uri: string, parts: HttpRequestParts): Result<string> {
    // eslint-disable-next-line no-control-regex -- control characters cannot travel in a header
    if (/[\u0000-\u001f\u007f]/.test(method + uri))
      return fail(DigestErrorCode.IllegalMessage, 'method or URI contains control characters');
    try {
      return ok(this.#respond(method, uri, parts));
    } catch {
      return fail(DigestErrorCode.IllegalMessage, 'a value cannot be carried in a header');
    }
  }

  #respond(method: string, uri: string, parts: HttpRequestParts): string {
    const s = this.#session;
    if (s === undefined) throw new Error('unreachable: no session');
    const a = s.challenge.algorithm;
    s.nc += 1;
    const bodyHash =
      s.qop === 'auth-int' ? (parts.bodyHash ?? hashBody(a, parts.body ?? new Uint8Array(0))) : undefined;
    const ha1 = sessionHa1(a, s.baseHa1, s.nonce, s.cnonce);
    const qopFields = s.qop !== undefined ? { nc: s.nc, cnonce: s.cnonce } : {};
    const response = responseDigest(a, {
      ha1,
      nonce: s.nonce,
      qop: s.qop,
      ...qopFields,
      ha2: ha2(a, { method, uri, qop: s.qop, ...(bodyHash !== undefined ? { bodyHash } : {}) }),
    });
    this.#last = { method, uri, nonce: s.nonce, nc: s.nc, bodyHash };
    const wireUser = unicodeToWire(this.#secret.username);
    const hashed = s.challenge.userhash;
    // RFC 7616 §3.4.4: a name that cannot travel as ASCII goes as username* when the server said UTF-8.
    const ext = !hashed && s.challenge.utf8 && /[^\x20-\x7e]/.test(this.#secret.username);
    return formatCredentials({
      username: hashed ? userhash(a, wireUser, s.challenge.realm) : wireUser,
      usernameExt: ext,
      realm: s.challenge.realm,
      uri,
      nonce: s.nonce,
      response,
      algorithm: a,
      ...(s.challenge.opaque !== undefined ? { opaque: s.challenge.opaque } : {}),
      ...(s.qop !== undefined ? { qop: s.qop, ...qopFields } : {}),
      userhash: hashed,
    });
  }

  #checkInfo(token: string): Result<Step> {
    const s = this.#session;
    const last = this.#last;
    if (s === undefined || last === undefined)
      return fail(DigestErrorCode.InvalidState, 'no request to match Authentication-Info against');
    const info = parseAuthenticationInfo(token);
    if (!info.ok) return fail(info.error.code, info.error.message);
    if (info.value.rspauth !== undefined) {
      const a = s.challenge.algorithm;
      const expected = responseDigest(a, {
        ha1: sessionHa1(a, s.baseHa1, last.nonce, s.cnonce),
        nonce: last.nonce,
        qop: s.qop,
        ...(s.qop !== undefined ? { nc: last.nc, cnonce: s.cnonce } : {}),
        ha2: ha2(a, {
          method: '',
          uri: last.uri,
          qop: s.qop,
          ...(last.bodyHash !== undefined ? { bodyHash: last.bodyHash } : {}),
        }),
      });
      if (!constantTimeEqual(expected, info.value.rspauth))
        return fail(DigestErrorCode.MutualAuthFailed, 'rspauth does not match: the server does not know the secret');
      this.#serverVerified = true;
    } else if (this.#options.mutual === true) {
      return fail(DigestErrorCode.MutualAuthFailed, 'Authentication-Info without rspauth');
    }
    if (info.value.nextnonce !== undefined && info.value.nextnonce !== s.nonce) {
      // RFC 7616 §3.5: the next request uses the new nonce, counting again from 1.
      s.nonce = info.value.nextnonce;
      s.nc = 0;
    }
    return ok({ next: 'done', completeNeeded: false });
  }
}
