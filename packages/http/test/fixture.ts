/** Test fixtures: a dispatcher with NTLM and Digest, servers on loopback, keep-alive requests. */
import { request as httpRequest } from 'node:http';
import type { Agent, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createSspi } from '@sspkit/core';
import type { SecurityPackageModule, SspiDispatcher } from '@sspkit/core';
import { MemoryUserStore, NonceIssuer, createDigestModule } from '@sspkit/digest';
import type { DigestAlgorithmName } from '@sspkit/digest';
import { InMemoryAccountStore, createNtlmModule } from '@sspkit/ntlm';
import { HttpAuthenticator, withAuthentication } from '../src/index.js';
import type { AuthFailureEvent, AuthenticatedMessage, HttpAuthOptions, SchemeOptions } from '../src/index.js';

export const USER = { domain: 'SSPKIT', user: 'alice', password: 'alice-password' } as const;
export const REALM = 'sspkit-test';

export async function testSspi(extra: SecurityPackageModule[] = []): Promise<SspiDispatcher> {
  // The tests' NTLM clients run in the server's process: the reflection pattern NTLM refuses by default.
  return createSspi({ modules: [createNtlmModule({ allowReflection: true }), createDigestModule(), ...extra] });
}

/** One Digest verifier plus one challenge per algorithm, sharing users, nonces and opaque. */
export function digestScheme(
  algorithms: readonly DigestAlgorithmName[],
  options: { userhash?: boolean; qop?: ('auth' | 'auth-int')[]; nonces?: NonceIssuer } = {},
): SchemeOptions {
  const base = {
    kind: 'digest-server',
    realm: REALM,
    users: new MemoryUserStore([{ username: USER.user, realm: REALM, password: USER.password }]),
    nonces: options.nonces ?? new NonceIssuer(),
    opaque: 'sspkit-opaque',
    ...(options.qop !== undefined ? { qop: options.qop } : {}),
    ...(options.userhash === true ? { userhash: true } : {}),
  };
  return {
    scheme: 'Digest',
    authData: { ...base, acceptAlgorithms: algorithms },
    challengeAuthData: algorithms.map((algorithm) => ({ ...base, algorithm })),
  };
}

export const ntlmScheme = (): SchemeOptions => ({
  scheme: 'NTLM',
  authData: { accounts: new InMemoryAccountStore().addPassword(USER.domain, USER.user, USER.password) },
});

export interface TestServer {
  readonly port: number;
  readonly auth: HttpAuthenticator;
  readonly failures: AuthFailureEvent[];
  close(): Promise<void>;
}

export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** A node:http(s) server answering the identity as JSON behind withAuthentication. */
export async function startServer(
  make: (handler: (req: IncomingMessage, res: ServerResponse) => void) => Server,
  options: Omit<HttpAuthOptions, 'onFailure'>,
): Promise<TestServer> {
  const failures: AuthFailureEvent[] = [];
  const auth = await HttpAuthenticator.create({ ...options, onFailure: (e) => failures.push(e) });
  const server = make(
    withAuthentication(auth, (req: AuthenticatedMessage, res) => {
      res.setHeader('Content-Type', 'application/json');
      const { user, domain, package: pkg, scheme } = req.sspkit.identity;
      res.end(
        JSON.stringify({
          user,
          domain,
          package: pkg,
          scheme,
          method: req.method,
          url: req.url,
          bodyBytes: req.sspkit.body?.length ?? null,
        }),
      );
    }),
  );
  const port = await listen(server);
  return {
    port,
    auth,
    failures,
    close: async () => {
      await closeServer(server);
      auth.close();
    },
  };
}

export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Every header's values, repeated headers kept apart (node joins them in `headers`). */
  readonly distinct: NodeJS.Dict<string[]>;
  readonly body: string;
  readonly socketPort: number | undefined;
}

/** One request; pass a keep-alive agent with maxSockets 1 to stay on one connection. */
export function send(
  port: number,
  options: {
    path?: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    agent?: Agent;
    tls?: boolean;
    host?: string;
  } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const make = options.tls === true ? httpsRequest : httpRequest;
    const req = make(
      {
        host: options.host ?? '127.0.0.1',
        port,
        path: options.path ?? '/',
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
        ...(options.agent !== undefined ? { agent: options.agent } : {}),
        ...(options.tls === true ? { rejectUnauthorized: false } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            distinct: res.headersDistinct,
            body: Buffer.concat(chunks).toString('utf8'),
            socketPort: res.socket?.localPort,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** All values of a (possibly repeated) response header. */
export function headerValues(reply: Reply, name: string): string[] {
  return reply.distinct[name.toLowerCase()] ?? [];
}
