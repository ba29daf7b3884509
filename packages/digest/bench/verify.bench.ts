/**
 * Server-side verifications per second through the SSPI dispatcher, MD5 and SHA-256: each round is
 * AcceptSecurityContext (challenge) → the client's InitializeSecurityContext (response) →
 * AcceptSecurityContext (SEC_I_COMPLETE_NEEDED: method and URI come later) → CompleteAuthToken.
 * The client's work is timed separately and subtracted, so the figure is the server's cost.
 */
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import {
  AscReq,
  IscReq,
  SecBufferType,
  SecPkgCred,
  SecStatus,
  createSspi,
  secBuffer,
  secBufferDesc,
} from '@sspkit/core';
import type { CredHandle } from '@sspkit/core';
import { MemoryUserStore, createDigestModule } from '../src/index.js';
import type { DigestAlgorithmName } from '../src/index.js';

const ROUNDS = 4000;
const sspi = await createSspi({ modules: [createDigestModule()] });

async function credentials(algorithm: DigestAlgorithmName): Promise<{ server: CredHandle; client: CredHandle }> {
  const users = new MemoryUserStore([{ username: 'bench', realm: 'bench', password: 'bench-password' }]);
  const s = await sspi.acquireCredentialsHandle({
    package: 'Digest',
    credentialUse: SecPkgCred.INBOUND,
    authData: { kind: 'digest-server', realm: 'bench', users, algorithm, qop: ['auth'] },
  });
  const c = await sspi.acquireCredentialsHandle({
    package: 'Digest',
    credentialUse: SecPkgCred.OUTBOUND,
    authData: { user: 'bench', password: 'bench-password' },
  });
  if (s.credential === undefined || c.credential === undefined) throw new Error('credentials');
  return { server: s.credential, client: c.credential };
}

async function round(server: CredHandle, client: CredHandle, timing: { server: number }): Promise<void> {
  let t = performance.now();
  const ch = secBufferDesc(secBuffer(SecBufferType.TOKEN));
  const a1 = await sspi.acceptSecurityContext({
    credential: server,
    contextReq: AscReq.HTTP | AscReq.ALLOCATE_MEMORY,
    output: ch,
  });
  timing.server += performance.now() - t;
  if (a1.context === undefined) throw new Error('no context');
  const out = secBufferDesc(secBuffer(SecBufferType.TOKEN));
  const i1 = await sspi.initializeSecurityContext({
    credential: client,
    targetName: '/bench',
    contextReq: IscReq.HTTP | IscReq.ALLOCATE_MEMORY,
    input: secBufferDesc(
      secBuffer(SecBufferType.TOKEN, ch.buffers[0]?.data ?? new Uint8Array()),
      secBuffer(SecBufferType.PKG_PARAMS, Buffer.from('GET')),
    ),
    output: out,
  });
  t = performance.now();
  const a2 = await sspi.acceptSecurityContext({
    credential: server,
    context: a1.context,
    contextReq: AscReq.HTTP | AscReq.ALLOCATE_MEMORY,
    input: secBufferDesc(secBuffer(SecBufferType.TOKEN, out.buffers[0]?.data ?? new Uint8Array())),
    output: secBufferDesc(secBuffer(SecBufferType.TOKEN)),
  });
  if (a2.status !== SecStatus.SEC_I_COMPLETE_NEEDED) throw new Error('unexpected status');
  const st = await sspi.completeAuthToken(
    a1.context,
    secBufferDesc(
      secBuffer(SecBufferType.PKG_PARAMS, Buffer.from('GET')),
      secBuffer(SecBufferType.PKG_PARAMS, Buffer.from('/bench')),
    ),
  );
  if (st !== SecStatus.SEC_E_OK) throw new Error('verification failed');
  sspi.deleteSecurityContext(a1.context);
  timing.server += performance.now() - t;
  if (i1.context !== undefined) sspi.deleteSecurityContext(i1.context);
}

const creds = { MD5: await credentials('MD5'), 'SHA-256': await credentials('SHA-256') };
// Warm both paths first so the JIT does not favour whichever runs second.
for (const algorithm of ['MD5', 'SHA-256'] as const) {
  const warm = { server: 0 };
  for (let i = 0; i < 1500; i++) await round(creds[algorithm].server, creds[algorithm].client, warm);
}
for (const algorithm of ['MD5', 'SHA-256'] as const) {
  const { server, client } = creds[algorithm];
  const timing = { server: 0 };
  const start = performance.now();
  for (let i = 0; i < ROUNDS; i++) await round(server, client, timing);
  const total = performance.now() - start;
  console.log(
    `${algorithm.padEnd(8)} server verifications/s: ${Math.round((ROUNDS / timing.server) * 1000)}  (full round trips incl. client: ${Math.round((ROUNDS / total) * 1000)}/s)`,
  );
}
