/**
 * The shared, long-lived half of an HTTP Digest server (what AcquireCredentialsHandle(INBOUND)
 * yields): realm, user store, nonce issuer and nonce-count store, reused by every context.
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_ALGORITHM, DIGEST_ALGORITHMS, lookupAlgorithm } from '../crypto/algorithms.js';
import type { DigestAlgorithm, DigestAlgorithmName } from '../crypto/algorithms.js';
import { NonceIssuer } from '../crypto/nonce.js';
import type { HttpQop } from '../messages/qop.js';
import { MemoryNonceCountStore } from '../stores/nonce-count-store.js';
import type { NonceCountStore } from '../stores/nonce-count-store.js';
import type { UserStore } from '../stores/user-store.js';

/** Configuration of an HTTP Digest server. */
export interface HttpServerOptions {
  readonly realm: string;
  readonly users: UserStore;
  /** Algorithm named in challenges (default MD5, what every client and the Windows SSP speak). */
  readonly algorithm?: DigestAlgorithmName;
  /** Algorithms accepted in responses (default: all). */
  readonly acceptAlgorithms?: readonly DigestAlgorithmName[];
  /** qop values offered (default auth, auth-int). */
  readonly qop?: readonly HttpQop[];
  /** Accept RFC 2069 responses without qop (no replay protection; default false). */
  readonly allowNoQop?: boolean;
  readonly nonces?: NonceIssuer;
  readonly nonceCounts?: NonceCountStore;
  /** Opaque value echoed by clients (default: random per credential). */
  readonly opaque?: string;
  /** Ask clients to hash their user name (RFC 7616 §3.4.4). */
  readonly userhash?: boolean;
  /** Send charset=UTF-8 (default true). */
  readonly utf8?: boolean;
  readonly domain?: readonly string[];
}

/** Resolved server configuration. */
export class HttpServerCredential {
  readonly realm: string;
  readonly users: UserStore;
  readonly algorithm: DigestAlgorithm;
  readonly accepted: readonly DigestAlgorithm[];
  readonly qop: readonly HttpQop[];
  readonly allowNoQop: boolean;
  readonly nonces: NonceIssuer;
  readonly nonceCounts: NonceCountStore;
  readonly opaque: string;
  readonly userhash: boolean;
  readonly utf8: boolean;
  readonly domain: readonly string[] | undefined;

  constructor(options: HttpServerOptions) {
    this.realm = options.realm;
    this.users = options.users;
    this.algorithm = (options.algorithm !== undefined ? lookupAlgorithm(options.algorithm) : undefined) ?? DEFAULT_ALGORITHM;
    this.accepted = options.acceptAlgorithms?.map((n) => lookupAlgorithm(n)).filter((a): a is DigestAlgorithm => a !== undefined) ?? DIGEST_ALGORITHMS;
    this.qop = options.qop ?? ['auth', 'auth-int'];
    this.allowNoQop = options.allowNoQop ?? false;
    this.nonces = options.nonces ?? new NonceIssuer();
    this.nonceCounts = options.nonceCounts ?? new MemoryNonceCountStore();
    this.opaque = options.opaque ?? randomBytes(16).toString('base64');
    this.userhash = options.userhash ?? false;
    this.utf8 = options.utf8 ?? true;
    this.domain = options.domain;
  }
}
