import { describe, expect, it } from 'vitest';
import {
  AscReq,
  SecBufferType,
  SecPkgAttr,
  SecStatus,
  SspiError,
  clientContext,
  runHandshake,
  secBuffer,
  secBufferDesc,
  serverContext,
} from '@sspkit/core';
import type { SspiDispatcher } from '@sspkit/core';
import { mockWorld } from './helpers.js';

const S = SecStatus;
const enc = new TextEncoder();

async function pair(sspi: SspiDispatcher) {
  const client = await clientContext(sspi, {
    package: 'Mock',
    authData: { user: 'bob', password: 'bob-password' },
    targetName: 'svc',
  });
  const server = await serverContext(sspi, { package: 'Mock', requirements: AscReq.CONFIDENTIALITY });
  return { client, server };
}

describe('scripted statuses', () => {
  it('SEC_I_COMPLETE_NEEDED from the server makes CompleteAuthToken necessary before any per-message call', async () => {
    const { sspi, mock } = await mockWorld();
    mock.rule({ slot: 'acceptLsaModeContext', call: 2, status: S.SEC_I_COMPLETE_NEEDED });
    const { client, server } = await pair(sspi);
    const t1 = (await client.step())!;
    const t2 = (await server.step(t1))!;
    const t3 = (await client.step(t2))!;
    // Drive the last server leg through the faithful API to see the status before completion.
    const r = await sspi.acceptSecurityContext({
      context: server.handle!,
      contextReq: 0,
      input: secBufferDesc(secBuffer(SecBufferType.TOKEN, t3)),
    });
    expect(r.status).toBe(S.SEC_I_COMPLETE_NEEDED);
    const data = enc.encode('m');
    const sig = client.sign(data);
    const desc = () => secBufferDesc(secBuffer(SecBufferType.DATA, data), secBuffer(SecBufferType.TOKEN, sig));
    expect(sspi.verifySignature(r.context!, desc(), 0)).toBe(S.SEC_E_OUT_OF_SEQUENCE);
    expect(await sspi.completeAuthToken(r.context!, secBufferDesc())).toBe(S.SEC_E_OK);
    expect(sspi.verifySignature(r.context!, desc(), 0)).toBe(S.SEC_E_OK);
    // Not needed any more: the documented refusal.
    expect(await sspi.completeAuthToken(r.context!, secBufferDesc())).toBe(S.SEC_E_OUT_OF_SEQUENCE);
  });

  it('the convenience layer calls CompleteAuthToken by itself and records it', async () => {
    const { sspi, mock } = await mockWorld();
    mock.rule({ slot: 'acceptLsaModeContext', call: 2, status: S.SEC_I_COMPLETE_NEEDED });
    const { client, server } = await pair(sspi);
    const legs = await runHandshake(client, server);
    expect(legs.at(-1)).toMatchObject({
      side: 'server',
      statusName: 'SEC_I_COMPLETE_NEEDED',
      completeAuthToken: { statusName: 'SEC_E_OK' },
    });
    expect(mock.script.calls('completeAuthToken')).toHaveLength(1);
    server.verify(enc.encode('x'), client.sign(enc.encode('x')));
  });

  it('SEC_I_COMPLETE_AND_CONTINUE keeps the handshake going after CompleteAuthToken', async () => {
    const { sspi, mock } = await mockWorld({ legs: 4 });
    mock.rule({ slot: 'acceptLsaModeContext', call: 1, status: S.SEC_I_COMPLETE_AND_CONTINUE });
    const { client, server } = await pair(sspi);
    const legs = await runHandshake(client, server);
    expect(legs[1]).toMatchObject({
      statusName: 'SEC_I_COMPLETE_AND_CONTINUE',
      completeAuthToken: { status: S.SEC_E_OK },
    });
    expect(client.complete && server.complete).toBe(true);
  });

  it('SEC_E_LOGON_DENIED injected on the 2nd accept fails exactly that leg', async () => {
    const { sspi, mock } = await mockWorld();
    mock.rule({ slot: 'acceptLsaModeContext', call: 2, status: S.SEC_E_LOGON_DENIED });
    const { client, server } = await pair(sspi);
    await expect(runHandshake(client, server)).rejects.toMatchObject({
      code: 'SEC_E_LOGON_DENIED',
      operation: 'AcceptSecurityContext',
    });
    expect(mock.script.calls('acceptLsaModeContext').map((c) => c.status)).toEqual([
      S.SEC_I_CONTINUE_NEEDED,
      S.SEC_E_LOGON_DENIED,
    ]);
    // The rule fired once: the next handshake succeeds.
    const again = await pair(sspi);
    await runHandshake(again.client, again.server);
  });

  it('a rule without a call number applies to every call, up to `times`', async () => {
    const { sspi, mock } = await mockWorld();
    mock.rule({ slot: 'makeSignature', status: S.SEC_E_INSUFFICIENT_MEMORY, times: 2 });
    const { client, server } = await pair(sspi);
    await runHandshake(client, server);
    const d = enc.encode('d');
    expect(() => client.sign(d)).toThrow(SspiError);
    expect(() => client.sign(d)).toThrow(expect.objectContaining({ code: 'SEC_E_INSUFFICIENT_MEMORY' }));
    expect(client.sign(d)).toHaveLength(32);
  });

  it('a scripted throw becomes SEC_E_INTERNAL_ERROR at the dispatcher, and is logged as thrown', async () => {
    const { sspi, mock } = await mockWorld();
    mock.rule({ slot: 'queryContextAttributes', throws: 'kaboom' });
    const { client, server } = await pair(sspi);
    await runHandshake(client, server);
    expect(sspi.queryContextAttributes(client.handle!, SecPkgAttr.SIZES).status).toBe(S.SEC_E_INTERNAL_ERROR);
    expect(mock.script.calls('queryContextAttributes').at(-1)!.status).toBe('threw');
  });

  it('delayMs makes an asynchronous slot wait without blocking the event loop; sync slots refuse it', async () => {
    const { sspi, mock } = await mockWorld();
    mock.rule({ slot: 'acquireCredentialsHandle', delayMs: 30 });
    let settled = false;
    const pending = sspi
      .acquireCredentialsHandle({ package: 'Mock', credentialUse: 2 })
      .then((r) => ((settled = true), r));
    await new Promise((res) => setImmediate(res)); // the loop turns while the slot waits
    expect(settled).toBe(false);
    expect((await pending).status).toBe(S.SEC_E_OK);
    expect(() => mock.rule({ slot: 'makeSignature', delayMs: 5 })).toThrow(RangeError);
  });
});

describe('the call log', () => {
  it('records every slot with its arguments, in order, and never a password', async () => {
    const { sspi, mock } = await mockWorld();
    mock.script.clearLog();
    const secret = 'bob-password';
    const { client, server } = await pair(sspi);
    await runHandshake(client, server);
    client.sign(enc.encode('x'));
    const slots = mock.script.log.map((r) => `${r.table}.${r.slot}`);
    expect(slots).toEqual([
      'lsa.acquireCredentialsHandle',
      'lsa.acquireCredentialsHandle',
      'lsa.initLsaModeContext',
      'lsa.acceptLsaModeContext',
      'lsa.initLsaModeContext',
      'user.initUserModeContext',
      'lsa.acceptLsaModeContext',
      'user.initUserModeContext',
      'user.queryContextAttributes', // SIZES, fetched once by sign()
      'user.makeSignature',
    ]);
    expect(mock.script.log[0]!.args).toMatchObject({ credentialUseFlags: 2, authorizationData: { user: 'bob' } });
    expect(mock.script.calls('initLsaModeContext')[0]!.args).toMatchObject({ targetName: 'svc' });
    expect(
      JSON.stringify(mock.script.log, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
    ).not.toContain(secret);
    expect(mock.script.log.map((r) => r.seq)).toEqual(mock.script.log.map((_r, i) => i + 1));
  });
});
