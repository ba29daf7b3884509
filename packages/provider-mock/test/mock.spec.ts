import { describe, expect, it } from 'vitest';
import {
  AscReq,
  AscRet,
  ContextExport,
  IscReq,
  IscRet,
  SecBufferFlag,
  SecBufferType,
  SecPkgAttr,
  SecPkgCred,
  SecQop,
  SecStatus,
  SspiError,
  clientContext,
  runHandshake,
  secBuffer,
  secBufferDesc,
  serverContext,
} from '@sspkit/core';
import type { SecBufferDesc, SspiDispatcher } from '@sspkit/core';
import { mockWorld } from './helpers.js';

const S = SecStatus;
const enc = new TextEncoder();
const REQ =
  IscReq.MUTUAL_AUTH | IscReq.REPLAY_DETECT | IscReq.SEQUENCE_DETECT | IscReq.CONFIDENTIALITY | IscReq.INTEGRITY;
const AREQ = AscReq.REPLAY_DETECT | AscReq.SEQUENCE_DETECT | AscReq.CONFIDENTIALITY | AscReq.INTEGRITY;

async function pair(
  sspi: SspiDispatcher,
  opts: { password?: string; user?: string; req?: number; areq?: number } = {},
) {
  const client = await clientContext(sspi, {
    package: 'Mock',
    authData: { user: opts.user ?? 'alice', password: opts.password ?? 'alice-password' },
    targetName: 'host/server.example',
    requirements: opts.req ?? REQ,
  });
  const server = await serverContext(sspi, { package: 'mock', requirements: opts.areq ?? AREQ });
  return { client, server };
}

function signed(data: Uint8Array, sigSize = 32): SecBufferDesc {
  return secBufferDesc(secBuffer(SecBufferType.DATA, data), secBuffer(SecBufferType.TOKEN, new Uint8Array(sigSize)));
}

describe('Mock handshake', () => {
  it.each([2, 3, 4, 5, 8])('runs a %i-leg handshake to completion on both sides', async (legs) => {
    const { sspi, mock } = await mockWorld({ legs });
    const { client, server } = await pair(sspi);
    const transcript = await runHandshake(client, server);
    // `legs` tokens, so legs + 1 calls: the last call consumes the last token and sends nothing.
    expect(transcript).toHaveLength(legs + 1);
    expect(transcript.map((l) => l.side)).toEqual(
      Array.from({ length: legs + 1 }, (_, i) => (i % 2 === 0 ? 'client' : 'server')),
    );
    expect(transcript.slice(0, -1).every((l) => l.outputLength > 0)).toBe(true);
    expect(transcript.at(-1)!.outputLength).toBe(0);
    expect(transcript.map((l) => l.statusName).slice(-2)).toEqual(['SEC_E_OK', 'SEC_E_OK']);
    const mutual = legs % 2 === 0;
    expect((client.contextAttributes & IscRet.MUTUAL_AUTH) !== 0).toBe(mutual);
    expect(client.contextAttributes & IscRet.CONFIDENTIALITY).toBeTruthy();
    expect(server.contextAttributes & AscRet.INTEGRITY).toBeTruthy();
    expect(client.query(SecPkgAttr.SESSION_KEY).sessionKey).toEqual(server.query(SecPkgAttr.SESSION_KEY).sessionKey);
    expect(server.token()).toMatchObject({
      authenticationPackage: 'Mock',
      user: 'alice',
      domain: 'MOCK',
      groups: ['users', 'mock-admins'],
    });
    client.dispose();
    server.dispose();
    expect(mock.liveContexts).toBe(0);
    expect(mock.liveCredentials).toBe(0);
    expect(sspi.liveHandleCount).toBe(0);
  });

  it('is deterministic under an injected environment: same seed, same tokens and session key', async () => {
    const run = async (seed: string) => {
      const { sspi } = await mockWorld({}, seed);
      const { client, server } = await pair(sspi);
      const tokens: number[][] = [];
      let t = await client.step();
      tokens.push([...t!]);
      t = await server.step(t);
      tokens.push([...t!]);
      t = await client.step(t);
      tokens.push([...t!]);
      await server.step(t);
      return { tokens, key: [...server.query(SecPkgAttr.SESSION_KEY).sessionKey] };
    };
    const a = await run('one');
    expect(await run('one')).toEqual(a);
    expect((await run('two')).key).not.toEqual(a.key);
  });

  it('a wrong password or an unknown user is refused with SEC_E_LOGON_DENIED on the proof leg', async () => {
    const { sspi } = await mockWorld();
    for (const opts of [{ password: 'wrong-horse-battery' }, { user: 'mallory', password: 'mallory-secret' }]) {
      const { client, server } = await pair(sspi, opts);
      const err = await runHandshake(client, server).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SspiError);
      expect((err as SspiError).code).toBe('SEC_E_LOGON_DENIED');
      expect((err as SspiError).operation).toBe('AcceptSecurityContext');
      expect(server.legs.at(-1)!.statusName).toBe('SEC_E_LOGON_DENIED');
      expect(String(err)).not.toContain(opts.password);
      client.dispose();
      server.dispose();
    }
  });

  it('uses the default user when no auth data is given, and NO_CREDENTIALS for an unknown one', async () => {
    const { sspi } = await mockWorld({ legs: 2 });
    const client = await clientContext(sspi, { package: 'Mock' });
    const server = await serverContext(sspi, { package: 'Mock' });
    await runHandshake(client, server);
    expect(server.query(SecPkgAttr.NAMES).userName).toBe('MOCK\\alice');
    expect(
      (
        await sspi.acquireCredentialsHandle({
          package: 'Mock',
          principal: 'nobody',
          credentialUse: SecPkgCred.OUTBOUND,
        })
      ).status,
    ).toBe(S.SEC_E_NO_CREDENTIALS);
    expect((await sspi.acquireCredentialsHandle({ package: 'Mock', credentialUse: 0 })).status).toBe(
      S.SEC_E_UNKNOWN_CREDENTIALS,
    );
    expect(
      (await sspi.acquireCredentialsHandle({ package: 'Mock', credentialUse: 2, authData: { user: 5 } })).status,
    ).toBe(S.SEC_E_UNKNOWN_CREDENTIALS);
  });

  it('an inbound-only credential cannot start a client context (SEC_E_NO_CREDENTIALS)', async () => {
    const { sspi } = await mockWorld();
    const cred = (await sspi.acquireCredentialsHandle({ package: 'Mock', credentialUse: SecPkgCred.INBOUND }))
      .credential!;
    const r = await sspi.initializeSecurityContext({
      credential: cred,
      contextReq: IscReq.ALLOCATE_MEMORY,
      output: secBufferDesc(secBuffer(SecBufferType.TOKEN)),
    });
    expect(r.status).toBe(S.SEC_E_NO_CREDENTIALS);
  });

  it('garbage, truncated, replayed and missing handshake tokens get statuses, never throws, and do not advance the context', async () => {
    const { sspi } = await mockWorld({ legs: 4 });
    const { client, server } = await pair(sspi);
    const t1 = (await client.step())!;
    const accept = (ctx: typeof server.handle, token?: Uint8Array) =>
      sspi.acceptSecurityContext({
        credential: (server as unknown as { credential: never }).credential,
        ...(ctx ? { context: ctx } : {}),
        contextReq: AscReq.ALLOCATE_MEMORY,
        ...(token ? { input: secBufferDesc(secBuffer(SecBufferType.TOKEN, token)) } : {}),
        output: secBufferDesc(secBuffer(SecBufferType.TOKEN)),
      });
    expect((await accept(undefined, enc.encode('garbage!garbage!'))).status).toBe(S.SEC_E_INVALID_TOKEN);
    expect((await accept(undefined, t1.subarray(0, 5))).status).toBe(S.SEC_E_INCOMPLETE_MESSAGE);
    expect((await accept(undefined, t1.subarray(0, t1.length - 2))).status).toBe(S.SEC_E_INCOMPLETE_MESSAGE);
    expect((await accept(undefined)).status).toBe(S.SEC_E_INVALID_TOKEN);
    const t2 = (await server.step(t1))!;
    // Replaying leg 1 into the running server context: the wrong leg.
    expect((await accept(server.handle, t1)).status).toBe(S.SEC_E_INVALID_TOKEN);
    const t3 = (await client.step(t2))!;
    const t4 = await server.step(t3);
    await client.step(t4);
    expect(client.complete && server.complete).toBe(true);
    // Mutual authentication is checked: a server proof from another handshake fails.
    const other = await pair(sspi);
    const o1 = (await other.client.step())!;
    const o2 = (await other.server.step(o1))!;
    await other.client.step(o2);
    const forged = Uint8Array.from(t4!);
    forged[forged.length - 1]! ^= 1;
    await expect(other.client.step(forged)).rejects.toMatchObject({ code: 'SEC_E_MUTUAL_AUTH_FAILED' });
  });

  it('a too-small output buffer gives SEC_E_BUFFER_TOO_SMALL and leaves the handshake where it was', async () => {
    const { sspi } = await mockWorld();
    const cred = (await sspi.acquireCredentialsHandle({ package: 'Mock', credentialUse: SecPkgCred.OUTBOUND }))
      .credential!;
    const small = secBuffer(SecBufferType.TOKEN, new Uint8Array(4));
    const r = await sspi.initializeSecurityContext({ credential: cred, contextReq: 0, output: secBufferDesc(small) });
    expect(r.status).toBe(S.SEC_E_BUFFER_TOO_SMALL);
    expect(r.context).toBeUndefined();
    const missing = await sspi.initializeSecurityContext({ credential: cred, contextReq: 0 });
    expect(missing.status).toBe(S.SEC_E_INVALID_TOKEN);
    const big = secBuffer(SecBufferType.TOKEN, new Uint8Array(2048));
    const ok = await sspi.initializeSecurityContext({ credential: cred, contextReq: 0, output: secBufferDesc(big) });
    expect(ok.status).toBe(S.SEC_I_CONTINUE_NEEDED);
    expect(big.data.length).toBeLessThan(2048);
    expect(ok.contextAttributes & IscRet.ALLOCATED_MEMORY).toBe(0);
  });
});

describe('Mock per-message protection', () => {
  async function established(legs = 3, req = REQ, areq = AREQ) {
    const w = await mockWorld({ legs });
    const { client, server } = await pair(w.sspi, { req, areq });
    await runHandshake(client, server);
    return { ...w, client, server };
  }

  it('signs and verifies both ways; every single-bit flip of data or signature is SEC_E_MESSAGE_ALTERED', async () => {
    const { client, server } = await established();
    const data = enc.encode('the quick brown fox');
    const sig = client.sign(data);
    expect(sig).toHaveLength(32);
    for (let bit = 0; bit < (data.length + sig.length) * 8; bit++) {
      const d = Uint8Array.from(data);
      const s = Uint8Array.from(sig);
      const target = bit < data.length * 8 ? d : s;
      const i = bit < data.length * 8 ? bit : bit - data.length * 8;
      target[i >> 3]! ^= 1 << (i & 7);
      const st = server.sspi.verifySignature(
        server.handle!,
        secBufferDesc(secBuffer(SecBufferType.DATA, d), secBuffer(SecBufferType.TOKEN, s)),
        0,
      );
      expect(st).toBe(S.SEC_E_MESSAGE_ALTERED);
    }
    server.verify(data, sig);
    const back = server.sign(data);
    client.verify(data, back);
  });

  it('detects replay and reordering when REPLAY_DETECT and SEQUENCE_DETECT are granted', async () => {
    const { client, server } = await established();
    const m = [0, 1, 2].map((i) => enc.encode(`message ${i}`));
    const sigs = m.map((d) => client.sign(d));
    server.verify(m[0]!, sigs[0]!);
    expect(
      server.sspi.verifySignature(
        server.handle!,
        secBufferDesc(secBuffer(SecBufferType.DATA, m[0]), secBuffer(SecBufferType.TOKEN, sigs[0])),
        0,
      ),
    ).toBe(S.SEC_E_OUT_OF_SEQUENCE);
    expect(
      server.sspi.verifySignature(
        server.handle!,
        secBufferDesc(secBuffer(SecBufferType.DATA, m[2]), secBuffer(SecBufferType.TOKEN, sigs[2])),
        0,
      ),
    ).toBe(S.SEC_E_OUT_OF_SEQUENCE);
    expect(
      server.sspi.verifySignature(
        server.handle!,
        secBufferDesc(secBuffer(SecBufferType.DATA, m[1]), secBuffer(SecBufferType.TOKEN, sigs[1])),
        0,
      ),
    ).toBe(S.SEC_E_OK);
  });

  it('with REPLAY_DETECT only, reordering is allowed but a replay is not', async () => {
    const { client, server } = await established(3, IscReq.REPLAY_DETECT, 0);
    expect(server.contextAttributes & AscRet.SEQUENCE_DETECT).toBe(0);
    const m = [0, 1].map((i) => enc.encode(`m${i}`));
    const sigs = m.map((d) => client.sign(d));
    const verify = (i: number) =>
      server.sspi.verifySignature(
        server.handle!,
        secBufferDesc(secBuffer(SecBufferType.DATA, m[i]), secBuffer(SecBufferType.TOKEN, sigs[i])),
        0,
      );
    expect(verify(1)).toBe(S.SEC_E_OK);
    expect(verify(0)).toBe(S.SEC_E_OK);
    expect(verify(0)).toBe(S.SEC_E_OUT_OF_SEQUENCE);
  });

  it('without replay or sequence detection, replays are accepted (nothing was promised)', async () => {
    const { client, server } = await established(3, 0, 0);
    const d = enc.encode('x');
    const s = client.sign(d);
    server.verify(d, s);
    server.verify(d, s);
  });

  it('seals in place: the output holds no plaintext, round-trips both ways, SIZES agree with what is produced', async () => {
    const { client, server } = await established();
    const plain = enc.encode('attack at dawn, attack at dawn, attack at dawn');
    const sealed = client.encrypt(plain);
    expect(Buffer.from(sealed.data).includes(Buffer.from('attack'))).toBe(false);
    expect(sealed.token).toHaveLength(client.sizes.securityTrailer);
    expect(sealed.padding).toHaveLength(0);
    expect(server.decrypt(sealed)).toEqual(plain);
    expect(client.decrypt(server.encrypt(plain))).toEqual(plain);
  });

  it('SECQOP_WRAP_NO_ENCRYPT signs without encrypting and reports the QOP on decrypt', async () => {
    const { sspi, client, server } = await established();
    const plain = enc.encode('visible');
    const sealed = client.encrypt(plain, SecQop.WRAP_NO_ENCRYPT);
    expect(sealed.data).toEqual(plain);
    const qop = { value: -1 };
    const desc = secBufferDesc(
      secBuffer(SecBufferType.TOKEN, sealed.token),
      secBuffer(SecBufferType.DATA, sealed.data),
    );
    expect(sspi.decryptMessage(server.handle!, desc, 0, qop)).toBe(S.SEC_E_OK);
    expect(qop.value).toBe(SecQop.WRAP_NO_ENCRYPT);
    expect(sspi.encryptMessage(client.handle!, 7, signed(plain), 0)).toBe(S.SEC_E_QOP_NOT_SUPPORTED);
  });

  it('read-only buffers are untouched; READONLY_WITH_CHECKSUM ones are covered by the MAC', async () => {
    const { sspi, client, server } = await established();
    const header = enc.encode('header');
    const checked = enc.encode('checked');
    const body = enc.encode('body body');
    const token = secBuffer(SecBufferType.TOKEN, new Uint8Array(32));
    const msg = secBufferDesc(
      secBuffer(SecBufferType.DATA, header, SecBufferFlag.READONLY),
      secBuffer(SecBufferType.DATA, checked, SecBufferFlag.READONLY_WITH_CHECKSUM),
      secBuffer(SecBufferType.DATA, Uint8Array.from(body)),
      token,
    );
    expect(sspi.encryptMessage(client.handle!, 0, msg, 0)).toBe(S.SEC_E_OK);
    expect(msg.buffers[0]!.data).toEqual(enc.encode('header'));
    expect(msg.buffers[1]!.data).toEqual(enc.encode('checked'));
    expect(msg.buffers[2]!.data).not.toEqual(body);
    const tampered = secBufferDesc(
      secBuffer(SecBufferType.DATA, enc.encode('HEADER'), SecBufferFlag.READONLY),
      secBuffer(SecBufferType.DATA, enc.encode('checkeD'), SecBufferFlag.READONLY_WITH_CHECKSUM),
      secBuffer(SecBufferType.DATA, Uint8Array.from(msg.buffers[2]!.data)),
      secBuffer(SecBufferType.TOKEN, Uint8Array.from(token.data)),
    );
    expect(sspi.decryptMessage(server.handle!, tampered, 0)).toBe(S.SEC_E_MESSAGE_ALTERED);
    tampered.buffers[1]!.data = enc.encode('checked');
    expect(sspi.decryptMessage(server.handle!, tampered, 0)).toBe(S.SEC_E_OK); // the READONLY header is not covered
    expect(tampered.buffers[2]!.data).toEqual(body);
  });

  it('a missing or too-small TOKEN buffer gets the precise status', async () => {
    const { sspi, client, server } = await established();
    const data = enc.encode('d');
    expect(sspi.makeSignature(client.handle!, 0, secBufferDesc(secBuffer(SecBufferType.DATA, data)), 0)).toBe(
      S.SEC_E_INVALID_TOKEN,
    );
    expect(sspi.makeSignature(client.handle!, 0, signed(data, 10), 0)).toBe(S.SEC_E_BUFFER_TOO_SMALL);
    expect(sspi.verifySignature(server.handle!, signed(data, 10), 0)).toBe(S.SEC_E_INVALID_TOKEN);
    expect(
      sspi.makeSignature(client.handle!, 0, secBufferDesc(secBuffer(SecBufferType.TOKEN, new Uint8Array(32))), 0),
    ).toBe(S.SEC_E_INVALID_TOKEN);
  });

  it('contexts expire with the injected clock (SEC_E_CONTEXT_EXPIRED)', async () => {
    const { env, client, server } = await established();
    const d = enc.encode('d');
    const s = client.sign(d);
    env.now += 11 * 3600 * 1000;
    expect(() => server.verify(d, s)).toThrow(expect.objectContaining({ code: 'SEC_E_CONTEXT_EXPIRED' }));
  });

  it('attributes: SIZES, NAMES, NATIVE_NAMES, FLAGS, LIFESPAN, SESSION_KEY, PACKAGE_INFO', async () => {
    const { client, server } = await established(4);
    expect(client.query(SecPkgAttr.SIZES)).toEqual({
      maxToken: 2048,
      maxSignature: 32,
      blockSize: 1,
      securityTrailer: 32,
    });
    expect(server.query(SecPkgAttr.NAMES)).toEqual({ userName: 'MOCK\\alice' });
    expect(server.query(SecPkgAttr.NATIVE_NAMES)).toEqual({
      clientName: 'alice@MOCK',
      serverName: 'host/server.example',
    });
    expect(client.query(SecPkgAttr.FLAGS).flags).toBe(client.contextAttributes);
    const life = server.query(SecPkgAttr.LIFESPAN);
    expect(life.expiry - life.start).toBe(36_000_000n * 10_000n);
    expect(client.query(SecPkgAttr.PACKAGE_INFO).packageInfo.name).toBe('Mock');
    expect(client.query(SecPkgAttr.SESSION_KEY).sessionKey).toHaveLength(32);
    expect(() => client.query(999)).toThrow(expect.objectContaining({ code: 'SEC_E_UNSUPPORTED_FUNCTION' }));
  });

  it("QuerySecurityContextToken: the server gets the client's token; the client side and unfinished contexts are refused", async () => {
    const { sspi, client, server } = await established();
    expect(server.token().user).toBe('alice');
    expect(sspi.querySecurityContextToken(client.handle!).status).toBe(S.SEC_E_NO_IMPERSONATION);
    const p = await pair(sspi);
    await p.server.step(await p.client.step());
    expect(sspi.querySecurityContextToken(p.server.handle!).status).toBe(S.SEC_E_NO_IMPERSONATION);
    expect(sspi.impersonateSecurityContext(server.handle!)).toBe(S.SEC_E_OK);
    expect(sspi.impersonationToken()?.user).toBe('alice');
    sspi.revertSecurityContext(server.handle!);
  });

  it('export/import: the imported context continues the message stream; DELETE_OLD retires the old handle', async () => {
    const { sspi, client, server } = await established();
    const d = enc.encode('before');
    server.verify(d, client.sign(d));
    const exp = sspi.exportSecurityContext(server.handle!, ContextExport.DELETE_OLD);
    expect(exp.status).toBe(S.SEC_E_OK);
    expect(exp.token?.user).toBe('alice');
    expect(server.handle!.isValid).toBe(false);
    const imp = sspi.importSecurityContext('Mock', exp.packedContext!, exp.token);
    expect(imp.status).toBe(S.SEC_E_OK);
    sspi.freeContextBuffer(exp.packedContext!);
    const d2 = enc.encode('after');
    const sig = client.sign(d2);
    expect(
      sspi.verifySignature(
        imp.context!,
        secBufferDesc(secBuffer(SecBufferType.DATA, d2), secBuffer(SecBufferType.TOKEN, sig)),
        0,
      ),
    ).toBe(S.SEC_E_OK);
    // The sequence state travelled with the context: the first message cannot be replayed into it.
    const d1 = enc.encode('first');
    const s1 = client.sign(d1);
    expect(
      sspi.verifySignature(
        imp.context!,
        secBufferDesc(secBuffer(SecBufferType.DATA, d1), secBuffer(SecBufferType.TOKEN, s1)),
        0,
      ),
    ).toBe(S.SEC_E_OK);
    expect(
      sspi.verifySignature(
        imp.context!,
        secBufferDesc(secBuffer(SecBufferType.DATA, d1), secBuffer(SecBufferType.TOKEN, s1)),
        0,
      ),
    ).toBe(S.SEC_E_OUT_OF_SEQUENCE);
    expect(sspi.importSecurityContext('Mock', enc.encode('{"v":2}')).status).toBe(S.SEC_E_INVALID_TOKEN);
    expect(sspi.importSecurityContext('Mock', Uint8Array.of(0xff, 0xfe)).status).toBe(S.SEC_E_INVALID_TOKEN);
  });

  it('two contexts imported from one RESET_NEW export never reuse a keystream', async () => {
    const { sspi, client } = await established();
    const exp = sspi.exportSecurityContext(client.handle!, ContextExport.RESET_NEW);
    const a = sspi.importSecurityContext('Mock', exp.packedContext!, undefined, 'client').context!;
    const b = sspi.importSecurityContext('Mock', exp.packedContext!, undefined, 'client').context!;
    const seal = (ctx: typeof a, text: string) => {
      const data = secBuffer(SecBufferType.DATA, enc.encode(text));
      expect(
        sspi.encryptMessage(ctx, 0, secBufferDesc(data, secBuffer(SecBufferType.TOKEN, new Uint8Array(32))), 0),
      ).toBe(S.SEC_E_OK);
      return data.data;
    };
    const c1 = seal(a, 'AAAAAAAAAAAAAAAA');
    const c2 = seal(b, 'BBBBBBBBBBBBBBBB');
    // Same keys and sequence number 0 on both: without a fresh nonce c1 ^ c2 would equal A ^ B.
    const xor = c1.map((x, i) => x ^ c2[i]!);
    expect([...xor]).not.toEqual(new Array(16).fill(0x41 ^ 0x42));
  });

  it('per-message calls before the handshake completes are refused (SEC_E_OUT_OF_SEQUENCE)', async () => {
    const { sspi } = await mockWorld();
    const { client } = await pair(sspi);
    await client.step();
    expect(sspi.makeSignature(client.handle!, 0, signed(enc.encode('x')), 0)).toBe(S.SEC_E_OUT_OF_SEQUENCE);
    expect(sspi.encryptMessage(client.handle!, 0, signed(enc.encode('x')), 0)).toBe(S.SEC_E_OUT_OF_SEQUENCE);
  });
});
