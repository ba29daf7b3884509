/**
 * The framework-neutral core: one `HttpAuthenticator` per server. It acquires one inbound credential
 * per offered scheme, answers each request with an {@link AuthOutcome} (authenticated identity, or the
 * status and headers to send), and keeps connection-bound contexts. Every package call goes through
 * the SSPI dispatcher; nothing here reads a token.
 */
import { AscReq, SecPkgCred, SecStatus, isSuccess, statusName } from '@sspkit/core';
import type { CredHandle, CtxtHandle, SspiDispatcher } from '@sspkit/core';
import { splitScheme } from '../common/auth-header.js';
import { bindingsFor } from './bindings.js';
import type { SocketBindings } from './bindings.js';
import type { FailureKind } from './classify.js';
import { ConnectionTable } from './connections.js';
import { digestLeg } from './digest-flow.js';
import { handshakeLeg, reuseConnection } from './handshake-flow.js';
import { challengeFrom } from './challenge.js';
import type {
  AuthFailureEvent,
  AuthOutcome,
  AuthRequest,
  AuthenticatedIdentity,
  HeaderList,
  HttpAuthOptions,
  SchemeOptions,
} from './types.js';

/** One offered scheme, ready: its credential(s) and request bits. */
export interface SchemeRuntime {
  readonly options: SchemeOptions;
  /** Scheme name as offered on the wire. */
  readonly name: string;
  readonly key: string;
  readonly packageName: string;
  readonly perRequest: boolean;
  readonly credential: CredHandle;
  readonly challengeCredentials: readonly CredHandle[];
  readonly contextReq: number;
}

/** What the flows share with the core. */
export interface FlowContext {
  readonly sspi: SspiDispatcher;
  readonly table: ConnectionTable;
  readonly options: HttpAuthOptions;
  readonly names: HeaderNames;
  challenge(staleDigest?: string): Promise<AuthOutcome>;
  fail(
    kind: FailureKind,
    request: AuthRequest,
    event: Omit<AuthFailureEvent, 'kind' | 'remoteAddress'>,
  ): Promise<AuthOutcome>;
  identityOf(context: CtxtHandle, scheme: SchemeRuntime): AuthenticatedIdentity | undefined;
  bindings(request: AuthRequest): SocketBindings;
}

/** Header names and status of the origin-server or the proxy variant (RFC 7235 §3.1/§3.2, §4.1–4.4). */
export interface HeaderNames {
  readonly challenge: string;
  readonly credentials: string;
  readonly info: string;
  readonly status: 401 | 407;
}

const ORIGIN: HeaderNames = {
  challenge: 'WWW-Authenticate',
  credentials: 'authorization',
  info: 'Authentication-Info',
  status: 401,
};
const PROXY: HeaderNames = {
  challenge: 'Proxy-Authenticate',
  credentials: 'proxy-authorization',
  info: 'Proxy-Authentication-Info',
  status: 407,
};

export class HttpAuthenticator {
  readonly #sspi: SspiDispatcher;
  readonly #options: HttpAuthOptions;
  readonly #schemes: readonly SchemeRuntime[];
  readonly #table: ConnectionTable;
  readonly #flow: FlowContext;
  readonly names: HeaderNames;

  private constructor(options: HttpAuthOptions, schemes: readonly SchemeRuntime[]) {
    this.#sspi = options.sspi;
    this.#options = options;
    this.#schemes = schemes;
    this.names = options.proxy === true ? PROXY : ORIGIN;
    this.#table = new ConnectionTable(options.sspi, options.idleTimeoutMs ?? 120_000, options.maxConnections ?? 10_000);
    this.#flow = {
      sspi: this.#sspi,
      table: this.#table,
      options,
      names: this.names,
      challenge: (stale) => this.#challenge(stale),
      fail: (kind, request, event) => this.#fail(kind, request, event),
      identityOf: (context, scheme) => this.#identityOf(context, scheme),
      bindings: (request) => bindingsFor(request.socket),
    };
  }

  /** Acquires the inbound credentials of every scheme; throws when one cannot be had (a configuration error). */
  static async create(options: HttpAuthOptions): Promise<HttpAuthenticator> {
    if (options.schemes.length === 0) throw new TypeError('HttpAuthenticator: no scheme offered');
    const acquired: SchemeRuntime[] = [];
    const acquire = async (s: SchemeOptions, authData: SchemeOptions['authData']): Promise<CredHandle> => {
      const pkg = s.package ?? s.scheme;
      const r = await options.sspi.acquireCredentialsHandle({
        package: pkg,
        credentialUse: SecPkgCred.INBOUND,
        ...(s.principal !== undefined ? { principal: s.principal } : {}),
        ...(authData !== undefined ? { authData } : {}),
      });
      if (!isSuccess(r.status) || r.credential === undefined) {
        for (const a of acquired)
          for (const c of [a.credential, ...a.challengeCredentials]) options.sspi.freeCredentialsHandle(c);
        throw new Error(`AcquireCredentialsHandle(${pkg}, INBOUND) returned ${statusName(r.status)}`, {
          cause: r.cause,
        });
      }
      return r.credential;
    };
    for (const s of options.schemes) {
      const perRequest = s.scheme.toLowerCase() === 'digest';
      const credential = await acquire(s, s.authData);
      const challengeCredentials: CredHandle[] = [];
      if (perRequest) for (const a of s.challengeAuthData ?? []) challengeCredentials.push(await acquire(s, a));
      const base = perRequest ? AscReq.HTTP : 0;
      acquired.push({
        options: s,
        name: s.scheme,
        key: s.scheme.toLowerCase(),
        packageName: s.package ?? s.scheme,
        perRequest,
        credential,
        challengeCredentials: perRequest && challengeCredentials.length === 0 ? [credential] : challengeCredentials,
        contextReq: (AscReq.ALLOCATE_MEMORY | base | (s.contextReq ?? 0)) >>> 0,
      });
    }
    return new HttpAuthenticator(options, acquired);
  }

  /** Connections currently holding a context. */
  get connectionCount(): number {
    return this.#table.size;
  }

  /** Authenticates one request. Never throws: a thrown error becomes a 500 reported to onFailure. */
  authenticate(request: AuthRequest): Promise<AuthOutcome> {
    return this.#table.serialize(request.socket, async () => {
      try {
        return await this.#authenticate(request);
      } catch (e) {
        this.#table.dispose(request.socket);
        return this.#fail('fault', request, { cause: e });
      }
    });
  }

  async #authenticate(request: AuthRequest): Promise<AuthOutcome> {
    const raw = request.credentials;
    if (raw === undefined || raw === '') return reuseConnection(this.#flow, request);
    if (typeof raw !== 'string')
      return this.#fail('bad-request', request, { cause: `${raw.length} ${this.names.credentials} headers` });
    if (raw.length > (this.#options.maxHeaderLength ?? 65_536))
      return this.#fail('bad-request', request, { cause: 'credentials header too long' });
    const split = splitScheme(raw);
    if (split === undefined)
      return this.#fail('bad-request', request, { cause: 'credentials header is not `scheme [token]`' });
    const scheme = this.#schemes.find((s) => s.key === split.scheme.toLowerCase());
    if (scheme === undefined)
      return this.#fail('denied', request, { scheme: split.scheme, cause: 'scheme not offered' });
    return scheme.perRequest
      ? digestLeg(this.#flow, request, scheme, raw)
      : handshakeLeg(this.#flow, request, scheme, split.rest);
  }

  /** A 401/407 with one challenge per offered scheme, in order (a stale Digest challenge replaces Digest's). */
  async #challenge(staleDigest?: string): Promise<AuthOutcome> {
    const headers: (readonly [string, string])[] = [];
    for (const s of this.#schemes) {
      if (!s.perRequest) {
        headers.push([this.names.challenge, s.name]);
      } else if (staleDigest !== undefined) {
        if (!headers.some(([, v]) => v === staleDigest)) headers.push([this.names.challenge, staleDigest]);
      } else {
        for (const c of s.challengeCredentials) {
          const value = await challengeFrom(this.#sspi, c, s.contextReq);
          if (value.ok) headers.push([this.names.challenge, value.header]);
          else
            this.#report({
              kind: 'fault',
              scheme: s.name,
              status: value.status,
              statusName: statusName(value.status),
              cause: value.cause,
            });
        }
      }
    }
    return { kind: 'challenge', statusCode: this.names.status, headers };
  }

  async #fail(
    kind: FailureKind,
    request: AuthRequest,
    event: Omit<AuthFailureEvent, 'kind' | 'remoteAddress'>,
  ): Promise<AuthOutcome> {
    const remoteAddress = request.socket.remoteAddress;
    this.#report({
      kind,
      ...event,
      ...(event.status !== undefined ? { statusName: statusName(event.status) } : {}),
      ...(remoteAddress !== undefined ? { remoteAddress } : {}),
    });
    if (kind === 'fault') return { kind: 'error', statusCode: 500, headers: [] };
    if (kind === 'bad-request') return { kind: 'bad-request', statusCode: 400, headers: [] };
    return this.#challenge();
  }

  #report(event: AuthFailureEvent): void {
    try {
      this.#options.onFailure?.(event);
    } catch {
      // A logger must not turn an answer into a crash.
    }
  }

  #identityOf(context: CtxtHandle, scheme: SchemeRuntime): AuthenticatedIdentity | undefined {
    const r = this.#sspi.querySecurityContextToken(context);
    if (r.status !== SecStatus.SEC_E_OK || r.token === undefined) return undefined;
    const t = r.token;
    return { user: t.user, domain: t.domain ?? '', package: t.authenticationPackage, scheme: scheme.name, token: t };
  }

  /** The challenges a request without credentials gets (for adapters that answer before routing). */
  challenges(): Promise<AuthOutcome> {
    return this.#challenge();
  }

  /** Disposes every connection context and frees the credentials. */
  close(): void {
    this.#table.clear();
    for (const s of this.#schemes)
      for (const c of new Set([s.credential, ...s.challengeCredentials]))
        if (c.isValid) this.#sspi.freeCredentialsHandle(c);
  }
}

/** Adds outcome headers in a form node's `setHeader` takes (repeated names become arrays). */
export function groupHeaders(headers: HeaderList): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [name, value] of headers) out.set(name, [...(out.get(name) ?? []), value]);
  return out;
}
