// The server side of an IIS-like host: one Digest context per connection, the request's method and
// URI in the PKG_PARAMS buffers, CompleteAuthToken when the package asks for it.
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { AscReq, SecBufferType, SecPkgCred, SecStatus, createSspi, secBuffer, secBufferDesc } from '@sspkit/core';
import type { CtxtHandle } from '@sspkit/core';
import { MemoryUserStore, createDigestModule } from '@sspkit/digest';

const sspi = await createSspi({ modules: [createDigestModule()] });
const users = new MemoryUserStore([{ username: 'Mufasa', realm: 'zoo', password: 'Circle of Life' }]);
const authData = { kind: 'digest-server', realm: 'zoo', users, algorithm: 'SHA-256' } as const;
const acquired = await sspi.acquireCredentialsHandle({
  package: 'Digest',
  credentialUse: SecPkgCred.INBOUND,
  authData,
});
if (acquired.credential === undefined) throw new Error('no server credential');
const credential = acquired.credential;
const contexts = new WeakMap<Socket, CtxtHandle>();
const text = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('latin1');

async function respond(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
  const context = contexts.get(req.socket);
  const request = [
    secBuffer(SecBufferType.PKG_PARAMS, Buffer.from(req.method ?? 'GET', 'latin1')),
    secBuffer(SecBufferType.PKG_PARAMS, Buffer.from(req.url ?? '/', 'latin1')),
  ];
  const authorization = secBuffer(SecBufferType.TOKEN, Buffer.from(req.headers.authorization ?? '', 'latin1'));
  const input = secBufferDesc(authorization, ...request);
  const output = secBufferDesc(secBuffer(SecBufferType.TOKEN));
  const contextReq = AscReq.HTTP | AscReq.ALLOCATE_MEMORY;
  const r = await sspi.acceptSecurityContext({
    credential,
    ...(context ? { context } : {}),
    contextReq,
    input,
    output,
  });
  if (r.context !== undefined) contexts.set(req.socket, r.context);
  let status = r.status;
  let header = text(output.buffers[0]?.data);
  if (status === SecStatus.SEC_I_COMPLETE_NEEDED && r.context !== undefined) {
    // A later request on the connection, or auth-int: verify with the whole message.
    const info = secBuffer(SecBufferType.TOKEN, new Uint8Array(4096));
    const message = secBufferDesc(info, ...request, secBuffer(SecBufferType.DATA, body));
    status = await sspi.completeAuthToken(r.context, message);
    header = text(info.data);
  }
  if (status === SecStatus.SEC_E_OK) {
    res.writeHead(200, header !== '' ? { 'Authentication-Info': header } : {}).end('hello\n');
  } else if (status === SecStatus.SEC_I_CONTINUE_NEEDED || status === SecStatus.SEC_E_CONTEXT_EXPIRED) {
    res.writeHead(401, { 'WWW-Authenticate': header }).end(); // a (stale) challenge
  } else {
    res.writeHead(403).end(); // r.cause / sspi.failureCause(context) say why
  }
}

export const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    respond(req, res, Buffer.concat(chunks)).catch(() => res.writeHead(500).end());
  });
});
