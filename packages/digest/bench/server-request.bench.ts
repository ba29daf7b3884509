/**
 * The server's cost per later HTTP request, without sockets: what the Digest HTTP benchmark's server
 * (test/digest/http-server.ts) asks of the package for each keep-alive request after the first —
 * AcceptSecurityContext on the connection's context with [TOKEN, PKG_PARAMS method, PKG_PARAMS URI]
 * (SEC_I_COMPLETE_NEEDED), CompleteAuthToken with the method, URI and (empty) body, and
 * QuerySecurityContextToken — through the dispatcher, MD5 qop=auth. 8 connections' contexts are
 * served in turn, as their requests interleave on a server. The clients' Authorization values are
 * computed before timing. Reported per request: wall clock and process CPU time (which moves less
 * on a shared machine), median of ROUNDS rounds. Results: packages/digest/README.md. Nothing here
 * asserts a time.
 */
import { Buffer } from 'node:buffer';
import { loadavg } from 'node:os';
import { AscReq, SecBufferType, SecPkgCred, SecStatus, createSspi, secBuffer, secBufferDesc } from '@sspkit/core';
import type { CtxtHandle } from '@sspkit/core';
import { HttpClientContext } from '../src/http/client-context.js';
import { MemoryUserStore, createDigestModule } from '../src/index.js';

const CONNECTIONS = 8;
const PER_ROUND = 4000;
const ROUNDS = 7;
const REQ = AscReq.HTTP | AscReq.ALLOCATE_MEMORY;
const METHOD = 'GET';
const URI = '/bench';

const sspi = await createSspi({ modules: [createDigestModule()] });
const users = new MemoryUserStore([{ username: 'bench', realm: 'bench', password: 'bench-password' }]);
const acquired = await sspi.acquireCredentialsHandle({
  package: 'Digest',
  credentialUse: SecPkgCred.INBOUND,
  authData: { kind: 'digest-server', realm: 'bench', algorithm: 'MD5', qop: ['auth'], users },
});
if (acquired.credential === undefined) throw new Error('AcquireCredentialsHandle failed');
const credential = acquired.credential;

interface Connection {
  context?: CtxtHandle;
  readonly authorizations: string[];
}

/** A connection: a challenge from the server, and its client's next `count` Authorization values. */
async function connection(count: number): Promise<Connection> {
  const out = secBufferDesc(secBuffer(SecBufferType.TOKEN));
  const r = await sspi.acceptSecurityContext({ credential, contextReq: REQ, output: out });
  if (r.context !== undefined) sspi.deleteSecurityContext(r.context);
  const client = new HttpClientContext({ username: 'bench', password: 'bench-password' });
  const challenge = Buffer.from(out.buffers[0]?.data ?? []).toString('latin1');
  const init = client.initialize(challenge, URI, { method: METHOD });
  if (!init.ok || init.value.token === undefined) throw new Error('the client could not answer the challenge');
  const authorizations = [init.value.token];
  while (authorizations.length < count) {
    const next = client.nextRequest(METHOD, URI, {});
    if (!next.ok) throw new Error('nextRequest failed');
    authorizations.push(next.value);
  }
  return { authorizations };
}

const latin1 = (s: string): Uint8Array => Buffer.from(s, 'latin1');

/** One request as the HTTP server makes it. */
async function request(c: Connection, authorization: string): Promise<void> {
  const input = secBufferDesc(
    secBuffer(SecBufferType.TOKEN, latin1(authorization)),
    secBuffer(SecBufferType.PKG_PARAMS, latin1(METHOD)),
    secBuffer(SecBufferType.PKG_PARAMS, latin1(URI)),
  );
  const r = await sspi.acceptSecurityContext({
    credential,
    ...(c.context !== undefined ? { context: c.context } : {}),
    contextReq: REQ,
    input,
    output: secBufferDesc(secBuffer(SecBufferType.TOKEN)),
  });
  if (r.context !== undefined) c.context = r.context;
  let status = r.status;
  if (status === SecStatus.SEC_I_COMPLETE_NEEDED && c.context !== undefined) {
    status = await sspi.completeAuthToken(
      c.context,
      secBufferDesc(
        secBuffer(SecBufferType.TOKEN, new Uint8Array(4096)),
        secBuffer(SecBufferType.PKG_PARAMS, latin1(METHOD)),
        secBuffer(SecBufferType.PKG_PARAMS, latin1(URI)),
        secBuffer(SecBufferType.DATA, new Uint8Array(0)),
      ),
    );
  }
  if (status !== SecStatus.SEC_E_OK || c.context === undefined)
    throw new Error(`request refused: 0x${(status >>> 0).toString(16)}`);
  if (sspi.querySecurityContextToken(c.context).token === undefined) throw new Error('no token');
}

const perConnection = PER_ROUND / CONNECTIONS;
const connections = await Promise.all(
  Array.from({ length: CONNECTIONS }, () => connection(perConnection * (ROUNDS + 1))),
);
const gc = (globalThis as { gc?: () => void }).gc;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const wall: number[] = [];
const cpu: number[] = [];
console.log(
  `${new Date().toISOString()}  node ${process.version}  load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
// Round 0 warms the JIT up and is not counted.
for (let round = 0; round <= ROUNDS; round++) {
  gc?.();
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = round * perConnection; i < (round + 1) * perConnection; i++)
    for (const c of connections) await request(c, c.authorizations[i]!);
  const ns = Number(process.hrtime.bigint() - t0);
  const used = process.cpuUsage(c0);
  if (round === 0) continue;
  wall.push(ns / PER_ROUND / 1000);
  cpu.push(((used.user + used.system) * 1000) / PER_ROUND / 1000);
}
console.log(
  `later request, MD5 qop=auth, ${CONNECTIONS} connections in turn: ${median(wall).toFixed(1)} µs wall ` +
    `[${wall.map((x) => x.toFixed(1)).join(', ')}], ${median(cpu).toFixed(1)} µs CPU ` +
    `[${cpu.map((x) => x.toFixed(1)).join(', ')}] per request (median of ${ROUNDS} rounds of ${PER_ROUND})`,
);
console.log(
  `load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (shared machine: read the CPU-time figure)`,
);
