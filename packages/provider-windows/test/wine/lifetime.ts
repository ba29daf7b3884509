/**
 * In Windows: handle lifetimes over 10,000 provider calls against the lab KDC — credentials acquired
 * and freed, handshakes, contexts deleted, signatures, sealing, attribute queries and access tokens —
 * counting what is still open after each thousand: the provider's handles, its native memory blocks,
 * the dispatcher's handles and the process's kernel handles (GetProcessHandleCount).
 */
import { SecBufferType, SecPkgAttr, SecPkgCred, secBuffer, secBufferDesc } from '@sspkit/core';
import { currentProcessToken, liveHandleCount } from '../../src/index.js';
import { windowsLibrary } from '../../src/ffi/library.js';
import { handshake } from './handshake.js';
import { main, windowsDispatcher } from './support.js';

const CALLS = Number(process.env['SSPKIT_CALLS'] ?? 10_000);

function kernelHandles(): number {
  const { advapi32, memory } = windowsLibrary();
  const out = memory.alloc(4);
  try {
    advapi32.GetProcessHandleCount(advapi32.GetCurrentProcess(), out.address);
    return new DataView(out.bytes.buffer, out.bytes.byteOffset).getUint32(0, true);
  } finally {
    memory.free(out);
  }
}

await main(async () => {
  const { sspi } = await windowsDispatcher();
  const target = process.env['SSPKIT_TARGET'] ?? '';
  const lib = windowsLibrary();
  const samples: { calls: number; live: number; blocks: number; kernel: number; rss: number }[] = [];
  const sample = (calls: number): void => {
    samples.push({
      calls,
      live: liveHandleCount(),
      blocks: lib.memory.liveBlocks,
      kernel: kernelHandles(),
      rss: process.memoryUsage().rss,
    });
  };
  let calls = 0;
  let failures = 0;
  sample(0);
  const text = new TextEncoder().encode('lifetime');
  while (calls < CALLS) {
    const c = await sspi.acquireCredentialsHandle({ package: 'Kerberos', credentialUse: SecPkgCred.OUTBOUND });
    const s = await sspi.acquireCredentialsHandle({ package: 'Kerberos', credentialUse: SecPkgCred.INBOUND });
    calls += 2;
    if (!c.credential || !s.credential) {
      failures++;
      break;
    }
    const hs = await handshake(sspi, c.credential, s.credential, target, { allocate: false, maxToken: 12000 });
    calls += hs.legs.length;
    if (!hs.ok || !hs.client || !hs.server) failures++;
    else {
      for (let i = 0; i < 20; i++) {
        const sig = secBuffer(SecBufferType.TOKEN, new Uint8Array(64));
        sspi.makeSignature(hs.client, 0, secBufferDesc(secBuffer(SecBufferType.DATA, text.slice()), sig), 0);
        if (sspi.verifySignature(hs.server, secBufferDesc(secBuffer(SecBufferType.DATA, text.slice()), sig), 0) !== 0)
          failures++;
        const tok = secBuffer(SecBufferType.TOKEN, new Uint8Array(64));
        const msg = secBuffer(SecBufferType.DATA, text.slice());
        sspi.encryptMessage(hs.server, 0, secBufferDesc(tok, msg), 0);
        if (sspi.decryptMessage(hs.client, secBufferDesc(tok, msg), 0) !== 0) failures++;
        sspi.queryContextAttributes(hs.client, SecPkgAttr.SIZES);
        sspi.querySecurityContextToken(hs.server);
        calls += 6;
      }
      if (currentProcessToken() === undefined) failures++;
      calls++;
    }
    if (hs.client) sspi.deleteSecurityContext(hs.client);
    if (hs.server) sspi.deleteSecurityContext(hs.server);
    sspi.freeCredentialsHandle(c.credential);
    sspi.freeCredentialsHandle(s.credential);
    calls += 4;
    if (Math.floor(calls / 1000) > samples.length - 1) sample(calls);
  }
  sample(calls);
  return { calls, failures, samples, dispatcherHandles: sspi.liveHandleCount };
});
