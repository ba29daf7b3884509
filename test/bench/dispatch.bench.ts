/**
 * MakeSignature on 1 KiB through the dispatcher vs a direct call to the Mock's user table, side by
 * side in one process. Rounds alternate the two paths; the figure is the median of per-round ratios.
 */
import { performance } from 'node:perf_hooks';
import {
  AscReq,
  IscReq,
  Registry,
  SecBufferType,
  SecPkgCred,
  SecStatus,
  SspiDispatcher,
  clientContext,
  runHandshake,
  secBuffer,
  secBufferDesc,
  serverContext,
} from '@sspkit/core';
import type { LsaSecHandle, SecpkgFunctionTable, SecpkgUserFunctionTable } from '@sspkit/core';
import { MockPackage } from '@sspkit/provider-mock';

const N = 20_000;
const ROUNDS = 15;

async function main(): Promise<void> {
  const mock = new MockPackage({ legs: 2 });
  mock.script.recording = false;
  const registry = new Registry();
  await registry.load(mock.module, 'mock');
  const sspi = new SspiDispatcher(registry);
  const client = await clientContext(sspi, { package: 'Mock', requirements: IscReq.INTEGRITY });
  const server = await serverContext(sspi, { package: 'Mock', requirements: AscReq.INTEGRITY });
  await runHandshake(client, server);
  const viaDispatcher = client.handle!;

  // The direct path: the same handshake driven on the raw tables, as the dispatcher would.
  const lsa = (await mock.module.spLsaModeInitialize(0x10000)).tables[0] as SecpkgFunctionTable;
  const user = (await mock.module.spUserModeInitialize!(0x10000)).tables[0] as SecpkgUserFunctionTable;
  const cred = (
    await lsa.acquireCredentialsHandle!(undefined, SecPkgCred.BOTH, undefined, undefined, undefined, undefined)
  ).credentialHandle!;
  const out1 = secBuffer(SecBufferType.TOKEN);
  const c1 = await lsa.initLsaModeContext!(
    cred,
    undefined,
    't',
    IscReq.ALLOCATE_MEMORY,
    0,
    undefined,
    secBufferDesc(out1),
  );
  const out2 = secBuffer(SecBufferType.TOKEN);
  const s1 = await lsa.acceptLsaModeContext!(
    cred,
    undefined,
    secBufferDesc(secBuffer(SecBufferType.TOKEN, out1.data)),
    AscReq.ALLOCATE_MEMORY,
    0,
    secBufferDesc(out2),
  );
  const c2 = await lsa.initLsaModeContext!(
    cred,
    c1.newContextHandle,
    't',
    0,
    0,
    secBufferDesc(secBuffer(SecBufferType.TOKEN, out2.data)),
    secBufferDesc(secBuffer(SecBufferType.TOKEN)),
  );
  if (c2.status !== SecStatus.SEC_E_OK || s1.status !== SecStatus.SEC_E_OK) throw new Error('direct handshake failed');
  const direct: LsaSecHandle = c1.newContextHandle!;
  user.initUserModeContext!(direct, c2.contextData!);

  const data = new Uint8Array(1024).fill(0x5a);
  const { maxSignature } = client.sizes;
  const token = secBuffer(SecBufferType.TOKEN, new Uint8Array(maxSignature));
  const desc = secBufferDesc(secBuffer(SecBufferType.DATA, data), token);
  const makeSignature = user.makeSignature!.bind(user);

  const timeDirect = (): number => {
    const t = performance.now();
    for (let i = 0; i < N; i++) if (makeSignature(direct, 0, desc, i) !== 0) throw new Error('direct failed');
    return performance.now() - t;
  };
  const timeDispatcher = (): number => {
    const t = performance.now();
    for (let i = 0; i < N; i++)
      if (sspi.makeSignature(viaDispatcher, 0, desc, i) !== 0) throw new Error('dispatcher failed');
    return performance.now() - t;
  };
  for (let i = 0; i < 3; i++) {
    timeDirect();
    timeDispatcher();
  }
  const ratios: number[] = [];
  const d: number[] = [];
  const s: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const a = r % 2 === 0 ? timeDirect() : 0;
    const b = timeDispatcher();
    const c = r % 2 === 1 ? timeDirect() : a;
    d.push(c);
    s.push(b);
    ratios.push(b / c);
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const perCall = (ms: number) => ((ms * 1e6) / N).toFixed(0);
  console.log(`makeSignature, 1 KiB, ${N} calls x ${ROUNDS} rounds`);
  console.log(`  direct Mock table call:   ${perCall(median(d))} ns/call`);
  console.log(`  through SspiDispatcher:   ${perCall(median(s))} ns/call`);
  console.log(`  ratio dispatcher/direct:  ${median(ratios).toFixed(3)}x (target <= 1.05x)`);
  client.dispose();
  server.dispose();
}

await main();
