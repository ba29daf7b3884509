// The public surface of @sspkit/digest: the package module, the stores, and the pure protocol layers.
import { createDigestModule } from './module.js';

const defaultModule = createDigestModule();

/** SpLsaModeInitialize of the default Digest module instance. */
export const spLsaModeInitialize = defaultModule.spLsaModeInitialize;
/** SpUserModeInitialize of the default Digest module instance. */
export const spUserModeInitialize = defaultModule.spUserModeInitialize;

export { createDigestModule, DEFAULT_DIGEST_DEFAULTS } from './module.js';
export { DIGEST_PACKAGE_NAME, DIGEST_PACKAGE_INFO, DIGEST_MAX_TOKEN } from './package-info.js';
export type { DigestServerAuthData, DigestModuleDefaults } from './credentials.js';
export { DigestError, DigestErrorCode, isDigestError } from './errors.js';
export type { Result } from './errors.js';
export { statusForCode } from './status-map.js';

export { DIGEST_ALGORITHMS, lookupAlgorithm } from './crypto/algorithms.js';
export type { DigestAlgorithm, DigestAlgorithmName } from './crypto/algorithms.js';
export {
  hashHex,
  hashBody,
  ha2,
  responseDigest,
  sessionHa1,
  userhash,
  userRealmPasswordHash,
} from './crypto/http-digest.js';
export { NonceIssuer } from './crypto/nonce.js';
export type { NonceIssuerOptions, NonceVerdict } from './crypto/nonce.js';
export { Rc4 } from '@sspkit/legacy-crypto';

export { parseAuthParams, formatAuthParams, DEFAULT_LIMITS } from './messages/auth-params.js';
export type { AuthParam, AuthParamLimits } from './messages/auth-params.js';
export { parseChallenge, formatChallenge } from './messages/challenge.js';
export { parseChallengeList, selectDigestChallenge } from './messages/challenge-list.js';
export type { AuthChallenge } from './messages/challenge-list.js';
export type { DigestChallenge } from './messages/challenge.js';
export { parseCredentials, formatCredentials } from './messages/credentials.js';
export type { DigestCredentials } from './messages/credentials.js';
export { parseAuthenticationInfo, formatAuthenticationInfo } from './messages/authentication-info.js';
export type { AuthenticationInfo } from './messages/authentication-info.js';
export type { HttpQop, SaslQop } from './messages/qop.js';

export { HttpServerCredential } from './http/server-credential.js';
export type { HttpServerOptions } from './http/server-credential.js';
export { HttpServerContext } from './http/server-context.js';
export { HttpClientContext } from './http/client-context.js';
export type { DigestClientSecret, HttpClientOptions } from './http/client-context.js';
export type { Step, HttpRequestParts, DigestIdentity } from './step.js';

export { SaslServerContext } from './sasl/server-context.js';
export type { SaslServerOptions } from './sasl/server-context.js';
export { SaslClientContext } from './sasl/client-context.js';
export type { SaslClientOptions } from './sasl/client-context.js';
export { SaslSecurityLayer, deriveSaslKeys } from './sasl/security-layer.js';
export { SASL_CIPHERS, STRONG_SASL_CIPHERS } from './sasl/ciphers.js';
export type { SaslCipher } from './sasl/ciphers.js';
export { parseSaslChallenge, formatSaslChallenge, parseSaslResponse, formatSaslResponse } from './sasl/messages.js';

export { MemoryUserStore } from './stores/memory-user-store.js';
export { loadHtdigestStore, parseHtdigest, parseGroupFile, formatHtdigestLine } from './stores/htdigest.js';
export { MemoryNonceCountStore } from './stores/nonce-count-store.js';
export type { NonceCountStore, NonceCountVerdict, MemoryNonceCountStoreOptions } from './stores/nonce-count-store.js';
export type { UserStore, DigestUser } from './stores/user-store.js';
export type { MaybePromise } from './stores/maybe-promise.js';
export { sspkitConformance, digestHttpConformance } from './conformance-config.js';
