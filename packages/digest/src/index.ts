// The public surface of @sspkit/digest: the package module, what configures it, the stores, the
// challenge-list selection an HTTP layer uses, and the auth-param parser (@sspkit/decode). The HTTP
// and SASL protocol layers, the other codecs and the crypto are internal; the tests and benchmarks
// import them by relative path.
import { createDigestModule } from './module.js';

const defaultModule = createDigestModule();

/** SpLsaModeInitialize of the default Digest module instance. */
export const spLsaModeInitialize = defaultModule.spLsaModeInitialize;
/** SpUserModeInitialize of the default Digest module instance. */
export const spUserModeInitialize = defaultModule.spUserModeInitialize;

export { createDigestModule, DEFAULT_DIGEST_DEFAULTS } from './module.js';
export type { DigestServerAuthData, DigestModuleDefaults } from './credentials.js';
// A failure's `cause` is a DigestError (its code says which check refused).
export { DigestError, DigestErrorCode, isDigestError } from './errors.js';
export type { Result } from './errors.js';
export type { DigestAlgorithmName } from './crypto/algorithms.js';
export type { HttpQop, SaslQop } from './messages/qop.js';
export { parseChallengeList, selectDigestChallenge } from './messages/challenge-list.js';
export type { AuthChallenge } from './messages/challenge-list.js';
export type { DigestChallenge } from './messages/challenge.js';
export { SASL_CIPHERS, STRONG_SASL_CIPHERS } from './sasl/ciphers.js';
export type { SaslCipher } from './sasl/ciphers.js';
export { NonceIssuer } from './crypto/nonce.js';
export type { NonceIssuerOptions } from './crypto/nonce.js';

export { MemoryUserStore } from './stores/memory-user-store.js';
export { loadHtdigestStore, parseHtdigest, parseGroupFile, formatHtdigestLine } from './stores/htdigest.js';
export { MemoryNonceCountStore } from './stores/nonce-count-store.js';
export type { NonceCountStore, NonceCountVerdict, MemoryNonceCountStoreOptions } from './stores/nonce-count-store.js';
export type { UserStore, DigestUser } from './stores/user-store.js';
export type { MaybePromise } from './stores/maybe-promise.js';
export { sspkitConformance, digestHttpConformance } from './conformance-config.js';
export { parseAuthParams } from './messages/auth-params.js';
export type { AuthParam, AuthParamLimits } from './messages/auth-params.js';
