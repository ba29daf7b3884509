/** Options, identities and outcomes of the server-side authenticator. */
import type { Socket } from 'node:net';
import type { AccessToken, AuthData, SspiDispatcher } from '@sspkit/core';

/**
 * Extended Protection policy, with the meaning Windows gives it (IIS `extendedProtection
 * tokenChecking`): `off` passes no bindings; `when-supported` passes them with
 * ASC_REQ_ALLOW_MISSING_BINDINGS (a client that sends none is let through, one that sends wrong ones
 * is refused); `required` passes them without that flag (a client must send the right ones). Plain
 * http connections have no bindings: `required` refuses them.
 */
export type ChannelBindingPolicy = 'off' | 'when-supported' | 'required';

/** One offered scheme: the `WWW-Authenticate` scheme name and the package behind it. */
export interface SchemeOptions {
  /** Scheme name on the wire: `Negotiate`, `NTLM`, `Kerberos`, `Digest` (any other is connection-bound). */
  readonly scheme: string;
  /** Security package, by name (default: the scheme name). */
  readonly package?: string;
  /** pszPrincipal for AcquireCredentialsHandle(INBOUND). */
  readonly principal?: string;
  /** pAuthData for AcquireCredentialsHandle(INBOUND); for Digest, the credential that verifies responses. */
  readonly authData?: AuthData;
  /**
   * Digest only: one challenge per entry, each from its own inbound credential (several algorithms
   * from one configuration; they must share the verifying credential's nonces and users). Default:
   * one challenge from `authData`.
   */
  readonly challengeAuthData?: readonly AuthData[];
  /** Extra ASC_REQ_* bits for this scheme. */
  readonly contextReq?: number;
}

/** IIS's authPersistNonNTLM / authPersistSingleRequest. */
export interface PersistOptions {
  /** Keep a non-NTLM (Kerberos) authentication for the connection's later requests (default true). */
  readonly nonNtlm?: boolean;
  /** Authenticate one request only: every request needs its own handshake (default false). */
  readonly singleRequest?: boolean;
}

/** Why a request was not authenticated, for the application's logger (never sent to the client). */
export interface AuthFailureEvent {
  /** `bad-request` → 400, `denied` → 401/407, `fault` → 500. */
  readonly kind: 'bad-request' | 'denied' | 'fault';
  readonly scheme?: string;
  /** The SECURITY_STATUS, when a package call failed. */
  readonly status?: number;
  readonly statusName?: string;
  /** The package's diagnostic or the reason found here; never a secret. */
  readonly cause?: unknown;
  readonly remoteAddress?: string;
}

export interface HttpAuthOptions {
  readonly sspi: SspiDispatcher;
  /** Offered in this order, one `WWW-Authenticate` header each. */
  readonly schemes: readonly SchemeOptions[];
  /** Forward-proxy variant: Proxy-Authorization in, Proxy-Authenticate and 407 out. */
  readonly proxy?: boolean;
  readonly channelBindings?: ChannelBindingPolicy;
  readonly persist?: PersistOptions;
  /** A connection's context is disposed after this long without a request (default 120 000 ms). */
  readonly idleTimeoutMs?: number;
  /** Connections holding a context at once; the least recently used is disposed beyond (default 10 000). */
  readonly maxConnections?: number;
  /** Longest credentials header accepted, in characters (default 65 536, as IIS's MaxFieldLength). */
  readonly maxHeaderLength?: number;
  /** Largest entity body read for Digest `auth-int` (default 1 MiB). */
  readonly maxBodyBytes?: number;
  readonly onFailure?: (event: AuthFailureEvent) => void;
}

/** The authenticated client, for the application (authorization stays the application's). */
export interface AuthenticatedIdentity {
  readonly user: string;
  readonly domain: string;
  /** The package that authenticated (the token's authenticationPackage). */
  readonly package: string;
  /** The HTTP scheme used. */
  readonly scheme: string;
  /** QuerySecurityContextToken's token. */
  readonly token: AccessToken;
}

/** Header name and value pairs to add to the response (a name may repeat). */
export type HeaderList = readonly (readonly [string, string])[];

export type AuthOutcome =
  | { readonly kind: 'authenticated'; readonly identity: AuthenticatedIdentity; readonly headers: HeaderList }
  | { readonly kind: 'challenge'; readonly statusCode: 401 | 407; readonly headers: HeaderList }
  | { readonly kind: 'bad-request'; readonly statusCode: 400; readonly headers: HeaderList }
  | { readonly kind: 'error'; readonly statusCode: 500; readonly headers: HeaderList };

/** What the core needs from a request, whatever the framework. */
export interface AuthRequest {
  readonly method: string;
  /** The request-target as received (Digest compares it with `uri=`). */
  readonly url: string;
  /** Authorization (or Proxy-Authorization) header values. */
  readonly credentials: string | readonly string[] | undefined;
  /** The connection (a net.Socket or TLSSocket): the key of connection-bound state. */
  readonly socket: Socket;
  /** Reads the entity body (Digest auth-int); given by the adapter. */
  readonly readBody?: () => Promise<Uint8Array>;
}
