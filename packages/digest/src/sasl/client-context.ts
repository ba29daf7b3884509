/**
 * Client side of SASL DIGEST-MD5 (RFC 2831 §2.1): answer the challenge, then check rspauth. The
 * digest-uri is the target name (`imap/host.example`), as with the Windows Digest SSP.
 */
import { randomBytes } from 'node:crypto';
import { unicodeToWire } from '../bytes.js';
import { constantTimeEqual } from '@sspkit/core';
import { DigestErrorCode, fail, ok } from '../errors.js';
import type { Result } from '../errors.js';
import type { SaslQop } from '../messages/qop.js';
import type { DigestClientSecret } from '../http/client-context.js';
import type { Step } from '../step.js';
import { STRONG_SASL_CIPHERS } from './ciphers.js';
import type { SaslCipher } from './ciphers.js';
import { hashOctets, saslHa1, saslResponse, saslRspauth, saslUserHash } from './compute.js';
import type { SaslDigestInput } from './compute.js';
import { formatSaslResponse, parseSaslChallenge, parseSaslResponseAuth } from './messages.js';
import { SaslSecurityLayer } from './security-layer.js';

/** Client preferences derived from ISC_REQ flags. */
export interface SaslClientOptions {
  readonly integrity?: boolean;
  readonly confidentiality?: boolean;
  /**
   * Ciphers the client accepts, in preference order (default {@link STRONG_SASL_CIPHERS}: 3des, rc4).
   * A challenge offering only others fails with QOP_NOT_SUPPORTED: a rewritten challenge must not buy
   * a man in the middle a 40-bit key.
   */
  readonly ciphers?: readonly SaslCipher[];
  readonly authzid?: string;
}

/** One client-side DIGEST-MD5 context. */
export class SaslClientContext {
  readonly #secret: DigestClientSecret;
  readonly #options: SaslClientOptions;
  #input: SaslDigestInput | undefined;
  #state: 'initial' | 'responded' | 'established' | 'failed' = 'initial';
  #layer: SaslSecurityLayer | undefined;
  #cipher: SaslCipher | undefined;

  constructor(secret: DigestClientSecret, options: SaslClientOptions = {}) {
    this.#secret = secret;
    this.#options = options;
  }

  /** The negotiated security layer (absent for qop=auth). */
  get layer(): SaslSecurityLayer | undefined {
    return this.#layer;
  }

  /** Wipes the security layer's keys (DeleteSecurityContext). */
  wipe(): void {
    this.#layer?.wipe();
  }

  /** Binary H(A1), the session key the layers derive from (once established). */
  get sessionKey(): Uint8Array | undefined {
    return this.#state === 'established' && this.#input !== undefined ? saslHa1(this.#input) : undefined;
  }

  /** Negotiated qop and cipher. */
  get negotiated(): { qop: SaslQop | undefined; cipher: SaslCipher | undefined } {
    return { qop: this.#input?.qop, cipher: this.#cipher };
  }

  /** InitializeSecurityContext: first the challenge (→ response), then response-auth (→ done). */
  initialize(token: string, digestUri: string): Result<Step> {
    if (this.#state === 'initial') return this.#answer(token, digestUri);
    if (this.#state !== 'responded' || this.#input === undefined)
      return fail(DigestErrorCode.InvalidState, 'context already complete');
    const rsp = parseSaslResponseAuth(token);
    this.#state = 'failed';
    if (!rsp.ok) return fail(rsp.error.code, rsp.error.message);
    if (!constantTimeEqual(saslRspauth(this.#input), rsp.value))
      return fail(DigestErrorCode.MutualAuthFailed, 'rspauth does not match: the server does not know the secret');
    this.#state = 'established';
    if (this.#input.qop !== 'auth') {
      this.#layer = new SaslSecurityLayer({
        role: 'client',
        ha1: saslHa1(this.#input),
        ...(this.#cipher !== undefined ? { cipher: this.#cipher } : {}),
      });
    }
    return ok({ next: 'done', completeNeeded: false });
  }

  #answer(token: string, digestUri: string): Result<Step> {
    const parsed = parseSaslChallenge(token);
    if (!parsed.ok) return fail(parsed.error.code, parsed.error.message);
    const c = parsed.value;
    // Realms travel as UTF-8 octets (byte strings); the secret's realm is Unicode.
    const realmWire = this.#secret.realm !== undefined ? unicodeToWire(this.#secret.realm) : (c.realms[0] ?? '');
    if (c.realms.length > 0 && !c.realms.includes(realmWire))
      return fail(DigestErrorCode.NoCredentials, 'no credentials for the offered realms');
    let qop: SaslQop = 'auth';
    // A requested layer the server cannot give fails the handshake: continuing with less than
    // ISC_REQ_CONFIDENTIALITY / ISC_REQ_INTEGRITY asked for would send "protected" data in clear.
    if (this.#options.confidentiality === true) {
      if (!c.qop.includes('auth-conf'))
        return fail(DigestErrorCode.QopNotSupported, 'confidentiality requested but the server offers no auth-conf');
      const mine = this.#options.ciphers ?? STRONG_SASL_CIPHERS;
      this.#cipher = mine.find((x) => c.ciphers.includes(x));
      if (this.#cipher === undefined)
        return fail(
          DigestErrorCode.QopNotSupported,
          'confidentiality requested but the server offers no acceptable cipher',
        );
      qop = 'auth-conf';
    } else if (this.#options.integrity === true) {
      if (!c.qop.includes('auth-int'))
        return fail(DigestErrorCode.QopNotSupported, 'integrity requested but the server offers no auth-int');
      qop = 'auth-int';
    }
    if (!c.qop.includes(qop)) {
      // Only stronger protection is offered; take the strongest we can run.
      if (c.qop.includes('auth-int')) qop = 'auth-int';
      else return fail(DigestErrorCode.QopNotSupported, 'no acceptable qop offered');
    }
    const username = unicodeToWire(this.#secret.username);
    const password = hashOctets(unicodeToWire(this.#secret.password), c.utf8);
    const authzid = this.#options.authzid !== undefined ? unicodeToWire(this.#options.authzid) : undefined;
    this.#input = {
      userHash: saslUserHash(username, realmWire, password, c.utf8),
      nonce: c.nonce,
      cnonce: randomBytes(24).toString('base64'),
      nc: 1,
      qop,
      digestUri,
      ...(authzid !== undefined ? { authzid } : {}),
    };
    this.#state = 'responded';
    const response = formatSaslResponse({
      username,
      ...(c.realms.length > 0 || realmWire !== '' ? { realm: realmWire } : {}),
      nonce: c.nonce,
      cnonce: this.#input.cnonce,
      nc: 1,
      qop,
      digestUri,
      response: saslResponse(this.#input),
      maxbuf: c.maxbuf,
      utf8: c.utf8,
      ...(qop === 'auth-conf' && this.#cipher !== undefined ? { cipher: this.#cipher } : {}),
      ...(authzid !== undefined ? { authzid } : {}),
    });
    return ok({ next: 'continue', completeNeeded: false, token: response });
  }
}
