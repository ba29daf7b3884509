/**
 * The shared, long-lived half of an HTTP Digest server (what AcquireCredentialsHandle(INBOUND)
 * yields): realm, user store, nonce issuer and nonce-count store, reused by every context.
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_ALGORITHM, lookupAlgorithm } from '../crypto/algorithms.js';
import type { DigestAlgorithm, DigestAlgorithmName } from '../crypto/algorithms.js';
import { NonceIssuer } from '../crypto/nonce.js';
import { unicodeToWire } from '../bytes.js';
import { DigestError, DigestErrorCode } from '../errors.js';
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
  /**
   * Algorithms accepted in responses (default: only `algorithm`, the one the challenge offers). The
   * challenge is not authenticated, so every extra name here is one a man in the middle can force
   * the client down to by rewriting it (README, *Security policy*).
   */
  readonly acceptAlgorithms?: readonly DigestAlgorithmName[];
  /** qop values offered (default auth, auth-int). */
  readonly qop?: readonly HttpQop[];
  /** Accept RFC 2069 responses without qop (no replay protection; default false). */
  readonly allowNoQop?: boolean;
  /**
   * Verify a response although the caller gave no request URI (the `[2] PKG_PARAMS` buffer). Default
   * false: without the URI a response computed for another resource would be accepted for this one.
   */
  readonly allowMissingUri?: boolean;
  /** Nonce issuer; one built with an explicit key requires `nonceCounts` (see below). */
  readonly nonces?: NonceIssuer;
  /**
   * Replay store. Required when `nonces` has an explicit (shared) key: every instance accepting those
   * nonces must record their counts in the same store, or a response replays on another instance.
   * Default: one in-memory store per nonce issuer.
   */
  readonly nonceCounts?: NonceCountStore;
  /** Opaque value echoed by clients (default: derived from a shared nonce key, else random per credential). */
  readonly opaque?: string;
  /** Ask clients to hash their user name (RFC 7616 §3.4.4). */
  readonly userhash?: boolean;
  /** Send charset=UTF-8 (default true). */
  readonly utf8?: boolean;
  readonly domain?: readonly string[];
}

// One default replay store per issuer: credentials sharing an issuer accept the same nonces, so
// they must also share the record of counts.
const defaultStores = new WeakMap<NonceIssuer, NonceCountStore>();

function defaultStoreFor(issuer: NonceIssuer): NonceCountStore {
  let store = defaultStores.get(issuer);
  if (store === undefined) {
    store = new MemoryNonceCountStore({ now: () => issuer.now() });
    defaultStores.set(issuer, store);
  }
  return store;
}

/** Resolved server configuration; throws UNKNOWN_CREDENTIALS for a shared nonce key without a shared store. */
export class HttpServerCredential {
  /** Realm as the application names it (Unicode); the user store is keyed by it. */
  readonly realm: string;
  /**
   * The realm's one wire form (UTF-8 octets as a byte string), used for the challenge, the comparison
   * with the response's `realm` and the nonce MAC, so non-ASCII realms round-trip and cannot collide.
   */
  readonly wireRealm: string;
  readonly users: UserStore;
  readonly algorithm: DigestAlgorithm;
  readonly accepted: readonly DigestAlgorithm[];
  readonly qop: readonly HttpQop[];
  readonly allowNoQop: boolean;
  readonly allowMissingUri: boolean;
  readonly nonces: NonceIssuer;
  readonly nonceCounts: NonceCountStore;
  readonly opaque: string;
  readonly userhash: boolean;
  readonly utf8: boolean;
  readonly domain: readonly string[] | undefined;
  /**
   * Password of the stand-in user an unknown name is checked against (random per credential), so
   * refusing an unknown user costs the same hashing as refusing a wrong password.
   */
  readonly decoyPassword = randomBytes(16).toString('base64');

  constructor(options: HttpServerOptions) {
    this.realm = options.realm;
    this.wireRealm = unicodeToWire(options.realm);
    this.users = options.users;
    this.algorithm =
      (options.algorithm !== undefined ? lookupAlgorithm(options.algorithm) : undefined) ?? DEFAULT_ALGORITHM;
    const listed = options.acceptAlgorithms
      ?.map((n) => lookupAlgorithm(n))
      .filter((a): a is DigestAlgorithm => a !== undefined);
    this.accepted = listed ?? [this.algorithm];
    this.qop = options.qop ?? ['auth', 'auth-int'];
    this.allowNoQop = options.allowNoQop ?? false;
    this.allowMissingUri = options.allowMissingUri ?? false;
    this.nonces = options.nonces ?? new NonceIssuer();
    if (options.nonceCounts === undefined && this.nonces.sharedKey) {
      throw new DigestError(
        DigestErrorCode.UnknownCredentials,
        'a nonce issuer with an explicit key needs a shared nonceCounts store',
      );
    }
    // A per-process key with a shared store: the other instances could not check this one's nonces
    // (clients would be sent round in stale challenges), and the deployment is not what it claims.
    if (options.nonceCounts?.shared === true && !this.nonces.sharedKey) {
      throw new DigestError(
        DigestErrorCode.UnknownCredentials,
        'a shared nonceCounts store needs the nonce key configured (nonceKey), the same on every instance',
      );
    }
    this.nonceCounts = options.nonceCounts ?? defaultStoreFor(this.nonces);
    // A nonce is bound to the opaque value (its MAC covers it): instances sharing the key must share
    // it too, so with a shared key the default is derived from the key, else drawn per credential.
    this.opaque =
      options.opaque ?? (this.nonces.sharedKey ? this.nonces.sharedOpaque() : randomBytes(16).toString('base64'));
    this.userhash = options.userhash ?? false;
    this.utf8 = options.utf8 ?? true;
    this.domain = options.domain;
  }
}
