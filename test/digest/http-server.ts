/**
 * A node:http server protected by the Digest package through the SSPI dispatcher, the way an IIS-like
 * host drives the Windows Digest SSP: one server context per connection, AcceptSecurityContext with the
 * Windows buffer layout ([TOKEN, PKG_PARAMS method, PKG_PARAMS URI]), CompleteAuthToken when asked.
 */
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  AscReq,
  SecBufferType,
  SecPkgCred,
  SecStatus,
  createSspi,
  secBuffer,
  secBufferDesc,
  statusName,
} from '@sspkit/core';
import type { CredHandle, CtxtHandle, SspiDispatcher } from '@sspkit/core';
import { createDigestModule } from '@sspkit/digest';
import type { DigestServerAuthData } from '@sspkit/digest';

/** What the test server saw, per request. */
export interface RequestLog {
  readonly method: string;
  readonly url: string;
  readonly status: string;
  readonly complete?: string;
  readonly user?: string;
  /** The request met a stale nonce and got a stale=true challenge. */
  readonly stale?: boolean;
}

/** A running Digest-protected server. */
export interface DigestHttpServer {
  readonly port: number;
  readonly log: RequestLog[];
  readonly sspi: SspiDispatcher;
  close(): Promise<void>;
}

const REQ = AscReq.HTTP | AscReq.ALLOCATE_MEMORY;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Starts the server on a free loopback port. */
export async function startDigestHttpServer(
  authData: DigestServerAuthData,
  hooks: { afterSuccess?: () => void } = {},
): Promise<DigestHttpServer> {
  const sspi = await createSspi({ modules: [createDigestModule()] });
  const acquired = await sspi.acquireCredentialsHandle({
    package: 'Digest',
    credentialUse: SecPkgCred.INBOUND,
    authData,
  });
  if (acquired.credential === undefined) throw new Error(`AcquireCredentialsHandle: ${statusName(acquired.status)}`);
  const credential: CredHandle = acquired.credential;
  const contexts = new WeakMap<Socket, CtxtHandle>();
  const log: RequestLog[] = [];

  async function challenge(res: ServerResponse, extra?: string): Promise<void> {
    const out = secBufferDesc(secBuffer(SecBufferType.TOKEN));
    const r = await sspi.acceptSecurityContext({ credential, contextReq: REQ, output: out });
    if (r.context !== undefined) sspi.deleteSecurityContext(r.context);
    res.writeHead(401, {
      'WWW-Authenticate': extra ?? Buffer.from(out.buffers[0]?.data ?? []).toString('latin1'),
      'Content-Type': 'text/plain',
    });
    res.end('authentication required\n');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const authorization = req.headers.authorization;
    if (authorization === undefined || !/^digest\s/i.test(authorization)) {
      log.push({ method, url, status: 'no-authorization' });
      await challenge(res);
      return;
    }
    const socket = req.socket;
    const existing = contexts.get(socket);
    const out = secBufferDesc(secBuffer(SecBufferType.TOKEN));
    const input = secBufferDesc(
      secBuffer(SecBufferType.TOKEN, Buffer.from(authorization, 'latin1')),
      secBuffer(SecBufferType.PKG_PARAMS, Buffer.from(method, 'latin1')),
      secBuffer(SecBufferType.PKG_PARAMS, Buffer.from(url, 'latin1')),
    );
    const r = await sspi.acceptSecurityContext({
      credential,
      ...(existing !== undefined ? { context: existing } : {}),
      contextReq: REQ,
      input,
      output: out,
    });
    let status = r.status;
    let info = Buffer.from(out.buffers[0]?.data ?? []).toString('latin1');
    let complete: string | undefined;
    if (r.context !== undefined) contexts.set(socket, r.context);
    if (status === SecStatus.SEC_I_COMPLETE_NEEDED && r.context !== undefined) {
      // The whole message is known now: method, URI and entity body (for auth-int).
      const tokenOut = secBuffer(SecBufferType.TOKEN, new Uint8Array(4096));
      status = await sspi.completeAuthToken(
        r.context,
        secBufferDesc(
          tokenOut,
          secBuffer(SecBufferType.PKG_PARAMS, Buffer.from(method, 'latin1')),
          secBuffer(SecBufferType.PKG_PARAMS, Buffer.from(url, 'latin1')),
          secBuffer(SecBufferType.DATA, body),
        ),
      );
      complete = statusName(status);
      info = Buffer.from(tokenOut.data).toString('latin1');
    }
    if (status === SecStatus.SEC_I_CONTINUE_NEEDED || status === SecStatus.SEC_E_CONTEXT_EXPIRED) {
      // A stale nonce: the package answered with a stale=true challenge (from ASC, or from
      // CompleteAuthToken on a later request).
      log.push({
        method,
        url,
        status: statusName(r.status),
        ...(complete !== undefined ? { complete } : {}),
        stale: true,
      });
      await challenge(res, info);
      return;
    }
    if (status !== SecStatus.SEC_E_OK) {
      log.push({ method, url, status: statusName(r.status), ...(complete !== undefined ? { complete } : {}) });
      if (r.context !== undefined && existing === undefined) {
        sspi.deleteSecurityContext(r.context);
        contexts.delete(socket);
      }
      await challenge(res);
      return;
    }
    const ctx = contexts.get(socket);
    const token = ctx !== undefined ? sspi.querySecurityContextToken(ctx).token : undefined;
    log.push({
      method,
      url,
      status: statusName(r.status),
      ...(complete !== undefined ? { complete } : {}),
      ...(token !== undefined ? { user: token.user } : {}),
    });
    hooks.afterSuccess?.();
    const headers: Record<string, string> = { 'Content-Type': 'text/plain' };
    if (info !== '') headers['Authentication-Info'] = info;
    res.writeHead(200, headers);
    res.end(`hello ${token?.user ?? '?'} ${method} ${url} ${body.length}\n`);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    log,
    sspi,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
