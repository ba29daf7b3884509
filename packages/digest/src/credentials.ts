/**
 * What AcquireCredentialsHandle(Digest) accepts as pAuthData, and the credential records kept
 * behind the handles. Outbound: a SEC_WINNT_AUTH_IDENTITY (user, domain = realm, password).
 * Inbound: a {@link DigestServerAuthData} (user store or htdigest file, realm, algorithms …), or a
 * SEC_WINNT_AUTH_IDENTITY naming the single user to accept, or nothing (the module's defaults).
 */
import type { DigestAlgorithmName } from './crypto/algorithms.js';
import { NonceIssuer } from './crypto/nonce.js';
import type { DigestClientSecret } from './http/client-context.js';
import { HttpServerCredential } from './http/server-credential.js';
import type { HttpQop, SaslQop } from './messages/qop.js';
import type { SaslCipher } from './sasl/ciphers.js';
import type { SaslServerOptions } from './sasl/server-context.js';
import { DigestErrorCode, fail, isDigestError, ok } from './errors.js';
import type { Result } from './errors.js';
import { isServerAuthDataRecord, parseServerAuthData } from './server-auth-data.js';
import { loadHtdigestStore } from './stores/htdigest.js';
import { MemoryUserStore } from './stores/memory-user-store.js';
import type { NonceCountStore } from './stores/nonce-count-store.js';
import type { DigestUser, UserStore } from './stores/user-store.js';

/** Inbound pAuthData: how a Digest server finds users and what it offers. */
export interface DigestServerAuthData {
  readonly kind: 'digest-server';
  /** Realm named in challenges (default: the module's default realm). */
  readonly realm?: string;
  /** The user store; or `htdigestFile` (+ `groupFile`) to read Apache files. */
  readonly users?: UserStore;
  readonly htdigestFile?: string;
  readonly groupFile?: string;
  /** HTTP: algorithm named in challenges, algorithms accepted, qop offered. */
  readonly algorithm?: DigestAlgorithmName;
  readonly acceptAlgorithms?: readonly DigestAlgorithmName[];
  readonly qop?: readonly HttpQop[];
  readonly userhash?: boolean;
  readonly opaque?: string;
  /** Verify responses without a request URI buffer (README, Security policy; default false). */
  readonly allowMissingUri?: boolean;
  /** A ready nonce issuer (custom clock, or a key); overrides nonceKey / nonceLifetimeMs. Keyed: needs nonceCounts. */
  readonly nonces?: NonceIssuer;
  /** MAC key of the stateless nonces, shared between instances of one service; needs nonceCounts. */
  readonly nonceKey?: Uint8Array;
  readonly nonceLifetimeMs?: number;
  /** Replay store; every instance holding the nonce key must share it (default: in-memory, per issuer). */
  readonly nonceCounts?: NonceCountStore;
  /** SASL: qop and ciphers offered, the expected digest-uri (`service/host`). */
  readonly saslQop?: readonly SaslQop[];
  readonly ciphers?: readonly SaslCipher[];
  readonly digestUri?: string;
}

/** The module-wide defaults an application may replace (`createDigestModule`). */
export interface DigestModuleDefaults {
  /** Realm used when the inbound auth data names none. */
  readonly realm: string;
  /** Users of the default in-memory store. */
  readonly users: readonly DigestUser[];
  /** Outbound identity when a client passes no auth data (Windows would use the logged-on user). */
  readonly defaultClient?: DigestClientSecret;
  /**
   * SASL clients: ciphers accepted for auth-conf, in preference order (default 3des, rc4). Listing a
   * weak one (des, rc4-56, rc4-40) is the opt-out README *Security policy* describes.
   */
  readonly saslClientCiphers?: readonly SaslCipher[];
  /** HTTP clients: algorithms answered (default all; the strongest offered one is chosen). */
  readonly httpClientAlgorithms?: readonly DigestAlgorithmName[];
}

/** One credential handle's record. */
export interface DigestCredential {
  readonly use: number;
  readonly client?: DigestClientSecret;
  readonly http?: HttpServerCredential;
  readonly sasl?: SaslServerOptions;
  /** Principal shown by QueryCredentialsAttributes(NAMES). */
  readonly name: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Reads an outbound identity from pAuthData; undefined when it holds none. */
export function clientSecretFrom(authData: unknown, principal: string | undefined): DigestClientSecret | undefined {
  if (!isRecord(authData)) return undefined;
  const user = typeof authData['user'] === 'string' ? authData['user'] : principal;
  const password = authData['password'];
  if (user === undefined || typeof password !== 'string') return undefined;
  const domain = authData['domain'];
  return typeof domain === 'string' && domain !== ''
    ? { username: user, password, realm: domain }
    : { username: user, password };
}

/** The inbound half of a credential: HTTP and SASL settings over one user store. */
export interface DigestServerHalf {
  readonly http: HttpServerCredential;
  readonly sasl: SaslServerOptions;
}

/**
 * Builds the inbound half from pAuthData. The module's default users serve only a caller that
 * passes no auth data at all; anything else must be a valid {@link DigestServerAuthData} or a
 * SEC_WINNT_AUTH_IDENTITY with user and password, or it is refused (never a silent fallback).
 */
export function serverCredentialFrom(authData: unknown, defaults: DigestModuleDefaults): Result<DigestServerHalf> {
  if (authData === undefined || authData === null) {
    // The demo users' passwords are public fixtures: requiring the URI would protect nothing, and
    // generic SSPI loops (the CLI demo, the conformance suite) have no HTTP request to name.
    const demo = new MemoryUserStore(defaults.users.map((u) => ({ ...u, realm: defaults.realm })));
    return build(defaults.realm, demo, { kind: 'digest-server', allowMissingUri: true });
  }
  if (isServerAuthDataRecord(authData)) {
    const parsed = parseServerAuthData(authData);
    if (!parsed.ok) return fail(parsed.error.code, parsed.error.message);
    const d = parsed.value;
    let users: UserStore;
    if (d.users !== undefined) {
      users = d.users;
    } else {
      try {
        users = loadHtdigestStore(d.htdigestFile ?? '', d.groupFile);
      } catch {
        // Unreadable or malformed file; the error text may name a path, so it stays here.
        return fail(DigestErrorCode.NoCredentials, 'the htdigest or group file cannot be read');
      }
    }
    return build(d.realm ?? defaults.realm, users, d);
  }
  const single = clientSecretFrom(authData, undefined);
  if (single === undefined || !isIdentityShape(authData))
    return fail(
      DigestErrorCode.UnknownCredentials,
      'inbound auth data is neither a Digest server record nor a user identity',
    );
  const realm = single.realm ?? defaults.realm;
  return build(
    realm,
    new MemoryUserStore([{ username: single.username, realm, password: single.password }]),
    undefined,
  );
}

// Only the fields of SEC_WINNT_AUTH_IDENTITY(_EX): a record carrying others is something else.
const IDENTITY_FIELDS = new Set(['user', 'domain', 'password', 'packageList', 'flags']);

/** Whether pAuthData has the SEC_WINNT_AUTH_IDENTITY shape (and nothing else). */
export function isIdentityShape(authData: unknown): boolean {
  return isRecord(authData) && Object.keys(authData).every((k) => IDENTITY_FIELDS.has(k));
}

// HttpServerCredential refuses some combinations by throwing a DigestError; that becomes a status.
function build(realm: string, users: UserStore, d: DigestServerAuthData | undefined): Result<DigestServerHalf> {
  const make = (): DigestServerHalf => {
    const http = new HttpServerCredential({
      realm,
      users,
      ...(d?.algorithm !== undefined ? { algorithm: d.algorithm } : {}),
      ...(d?.acceptAlgorithms !== undefined ? { acceptAlgorithms: d.acceptAlgorithms } : {}),
      ...(d?.qop !== undefined ? { qop: d.qop } : {}),
      ...(d?.userhash !== undefined ? { userhash: d.userhash } : {}),
      ...(d?.opaque !== undefined ? { opaque: d.opaque } : {}),
      ...(d?.allowMissingUri !== undefined ? { allowMissingUri: d.allowMissingUri } : {}),
      ...(d?.nonceCounts !== undefined ? { nonceCounts: d.nonceCounts } : {}),
      nonces:
        d?.nonces ??
        new NonceIssuer({
          ...(d?.nonceKey !== undefined ? { key: d.nonceKey } : {}),
          ...(d?.nonceLifetimeMs !== undefined ? { lifetimeMs: d.nonceLifetimeMs } : {}),
        }),
    });
    const sasl: SaslServerOptions = {
      realm,
      users,
      ...(d?.saslQop !== undefined ? { qop: d.saslQop } : {}),
      ...(d?.ciphers !== undefined ? { ciphers: d.ciphers } : {}),
      ...(d?.digestUri !== undefined ? { digestUri: d.digestUri } : {}),
    };
    return { http, sasl };
  };
  try {
    return ok(make());
  } catch (e) {
    return isDigestError(e)
      ? fail(e.code, e.message)
      : fail(DigestErrorCode.UnknownCredentials, 'Digest server auth data is not usable');
  }
}
