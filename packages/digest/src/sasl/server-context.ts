/**
 * Server side of SASL DIGEST-MD5 (RFC 2831 §2.1): challenge, then verify the digest-response and
 * answer with rspauth; afterwards the negotiated security layer protects messages.
 */
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { unicodeToWire, wireToUnicode } from '../bytes.js';
import { lookupAlgorithm } from '../crypto/algorithms.js';
import { constantTimeEqual } from '@sspkit/core';
import { DigestErrorCode, fail, ok } from '../errors.js';
import type { Result } from '../errors.js';
import type { SaslQop } from '../messages/qop.js';
import type { DigestIdentity, Step } from '../step.js';
import { baseHa1For } from '../stores/user-store.js';
import type { UserStore } from '../stores/user-store.js';
import { STRONG_SASL_CIPHERS } from './ciphers.js';
import type { SaslCipher } from './ciphers.js';
import { hashOctets, saslHa1, saslResponse, saslRspauth, saslUserHash } from './compute.js';
import { formatSaslChallenge, parseSaslResponse } from './messages.js';
import { SaslSecurityLayer } from './security-layer.js';

/** Configuration of a SASL DIGEST-MD5 server. */
export interface SaslServerOptions {
  readonly realm: string;
  readonly users: UserStore;
  /** qop values offered (default auth, auth-int, auth-conf). */
  readonly qop?: readonly SaslQop[];
  /** Ciphers offered for auth-conf (default {@link STRONG_SASL_CIPHERS}: 3des, rc4). */
  readonly ciphers?: readonly SaslCipher[];
  /** Expected digest-uri (`service/host`); unchecked when absent. */
  readonly digestUri?: string;
  readonly maxbuf?: number;
}

const MD5 = lookupAlgorithm('MD5');
// Per process, never a valid password: the decoy key only has to cost what a real one costs.
const DECOY_PASSWORD = randomBytes(16).toString('base64');

/** What the server's context requirements ask of the negotiated layer (from ASC_REQ_* flags). */
export interface SaslServerRequirements {
  /** ASC_REQ_INTEGRITY: auth-int or auth-conf. */
  readonly integrity?: boolean;
  /** ASC_REQ_CONFIDENTIALITY: auth-conf. */
  readonly confidentiality?: boolean;
}

function satisfies(qop: SaslQop, require: SaslServerRequirements): boolean {
  if (require.confidentiality === true) return qop === 'auth-conf';
  return require.integrity !== true || qop !== 'auth';
}

/** One server-side DIGEST-MD5 context. */
export class SaslServerContext {
  readonly #options: SaslServerOptions;
  readonly #require: SaslServerRequirements;
  #state: 'initial' | 'challenged' | 'established' | 'failed' = 'initial';
  #nonce = '';
  #identity: DigestIdentity | undefined;
  #layer: SaslSecurityLayer | undefined;
  #qop: SaslQop | undefined;
  #cipher: SaslCipher | undefined;
  #sessionKey: Uint8Array | undefined;

  constructor(options: SaslServerOptions, require: SaslServerRequirements = {}) {
    this.#options = options;
    this.#require = require;
  }

  /** The authenticated user, once established. */
  get identity(): DigestIdentity | undefined {
    return this.#identity;
  }

  /** The negotiated security layer (absent for qop=auth). */
  get layer(): SaslSecurityLayer | undefined {
    return this.#layer;
  }

  /** Wipes the session key and the security layer's keys (DeleteSecurityContext). */
  wipe(): void {
    this.#layer?.wipe();
    this.#sessionKey?.fill(0);
  }

  /** Binary H(A1), the session key the layers derive from (once established). */
  get sessionKey(): Uint8Array | undefined {
    return this.#sessionKey;
  }

  /** Negotiated qop and cipher. */
  get negotiated(): { qop: SaslQop | undefined; cipher: SaslCipher | undefined } {
    return { qop: this.#qop, cipher: this.#cipher };
  }

  /** AcceptSecurityContext: first call yields the challenge, second verifies and yields rspauth. */
  async accept(token: string | undefined): Promise<Result<Step>> {
    if (this.#state === 'initial' && (token === undefined || token === '')) {
      // Offer only what the context requirements allow, so a client never picks a qop we then refuse.
      const qop = (this.#options.qop ?? ['auth', 'auth-int', 'auth-conf']).filter((q) => satisfies(q, this.#require));
      if (qop.length === 0)
        return fail(
          DigestErrorCode.QosFailed,
          'the context requirements ask for a layer the credential does not offer',
        );
      this.#nonce = randomBytes(24).toString('base64');
      this.#state = 'challenged';
      return ok({
        next: 'continue',
        completeNeeded: false,
        token: formatSaslChallenge({
          realms: [unicodeToWire(this.#options.realm)],
          nonce: this.#nonce,
          qop,
          ciphers: this.#options.ciphers ?? STRONG_SASL_CIPHERS,
          stale: false,
          maxbuf: this.#options.maxbuf ?? 65536,
          utf8: true,
        }),
      });
    }
    // DIGEST-MD5 has no initial response (subsequent authentication is not supported).
    if (this.#state === 'initial') return fail(DigestErrorCode.InvalidToken, 'DIGEST-MD5 expects no initial response');
    if (this.#state !== 'challenged' || token === undefined)
      return fail(DigestErrorCode.InvalidState, 'no digest-response expected now');
    this.#state = 'failed';
    const parsed = parseSaslResponse(token);
    if (!parsed.ok) return fail(parsed.error.code, parsed.error.message);
    const r = parsed.value;
    if (r.nonce !== this.#nonce) return fail(DigestErrorCode.LogonDenied, 'nonce does not match the challenge');
    if (r.nc !== 1) return fail(DigestErrorCode.OutOfSequence, 'nonce count must be 1');
    // One wire form (UTF-8 octets) for the challenge and this comparison; the store is keyed by Unicode.
    const realm = r.realm ?? '';
    if (realm !== unicodeToWire(this.#options.realm)) return fail(DigestErrorCode.LogonDenied, 'realm does not match');
    const offered = this.#options.qop ?? ['auth', 'auth-int', 'auth-conf'];
    if (!offered.includes(r.qop)) return fail(DigestErrorCode.QopNotSupported, 'qop not offered');
    if (!satisfies(r.qop, this.#require))
      return fail(DigestErrorCode.QosFailed, `the context requirements refuse qop=${r.qop}`);
    if (r.cipher !== undefined && !(this.#options.ciphers ?? STRONG_SASL_CIPHERS).includes(r.cipher))
      return fail(DigestErrorCode.QopNotSupported, 'cipher not offered');
    if (this.#options.digestUri !== undefined && r.digestUri.toLowerCase() !== this.#options.digestUri.toLowerCase()) {
      return fail(DigestErrorCode.LogonDenied, 'digest-uri names another service');
    }
    const found = await this.#options.users.lookup(wireToUnicode(r.username), wireToUnicode(realm));
    // An unknown name is checked against a decoy password, so its refusal costs the same work as a
    // wrong password's (no user enumeration by timing).
    const decoy = found === undefined;
    const user = found ?? { username: wireToUnicode(r.username), realm: this.#options.realm, password: DECOY_PASSWORD };
    // With the password at hand, hash exactly as RFC 2831 §2.1.2.1 clients do (Latin-1 folding of
    // UTF-8 names); a stored MD5 HA1 (htdigest) is the same value for ASCII names.
    const hex = user.password === undefined && MD5 !== undefined ? baseHa1For(user, MD5) : undefined;
    const userHash =
      user.password !== undefined
        ? saslUserHash(r.username, realm, hashOctets(unicodeToWire(user.password), r.utf8), r.utf8)
        : hex !== undefined
          ? Buffer.from(hex, 'hex')
          : undefined;
    if (userHash === undefined) return fail(DigestErrorCode.LogonDenied, 'no key for this user');
    const input = {
      userHash,
      nonce: r.nonce,
      cnonce: r.cnonce,
      nc: r.nc,
      qop: r.qop,
      digestUri: r.digestUri,
      ...(r.authzid !== undefined ? { authzid: r.authzid } : {}),
    };
    const matches = constantTimeEqual(saslResponse(input), r.response);
    if (!matches || decoy) return fail(DigestErrorCode.LogonDenied, decoy ? 'unknown user' : 'response does not match');
    this.#state = 'established';
    this.#sessionKey = saslHa1(input);
    this.#qop = r.qop;
    this.#cipher = r.qop === 'auth-conf' ? r.cipher : undefined;
    if (r.qop !== 'auth') {
      this.#layer = new SaslSecurityLayer({
        role: 'server',
        ha1: saslHa1(input),
        ...(this.#cipher !== undefined ? { cipher: this.#cipher } : {}),
      });
    }
    this.#identity = {
      username: user.username,
      realm: user.realm,
      groups: user.groups ?? [],
      ...(r.authzid !== undefined ? { authzid: wireToUnicode(r.authzid) } : {}),
    };
    return ok({ next: 'done', completeNeeded: false, token: `rspauth=${saslRspauth(input)}` });
  }
}
