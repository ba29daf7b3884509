import { describe, expect, it } from 'vitest';
import {
  Registry,
  SecBufferType,
  SecPkgInterfaceVersion,
  SecStatus,
  SspiDispatcher,
  clientContext,
  secBuffer,
  secBufferDesc,
} from '@sspkit/core';
import type { LsaModeContextResult, SecBufferDesc, SecpkgFunctionTable, SecpkgUserFunctionTable } from '@sspkit/core';

const S = SecStatus;

async function withTables(
  lsa: SecpkgFunctionTable,
  user?: SecpkgUserFunctionTable,
  onFault?: (f: { operation: string; error: unknown }) => void,
) {
  const registry = new Registry();
  await registry.load({
    spLsaModeInitialize: () => ({
      status: S.SEC_E_OK,
      packageVersion: SecPkgInterfaceVersion.VERSION_4,
      tables: [
        {
          getInfo: () => ({
            status: 0,
            packageInfo: { name: 'T', comment: '', capabilities: 0, version: 1, rpcId: 0xffff, maxToken: 10 },
          }),
          acquireCredentialsHandle: () => ({ status: 0, credentialHandle: 1 }),
          ...lsa,
        },
      ],
    }),
    ...(user
      ? {
          spUserModeInitialize: () => ({
            status: S.SEC_E_OK,
            packageVersion: SecPkgInterfaceVersion.VERSION,
            tables: [user],
          }),
        }
      : {}),
  });
  const sspi = new SspiDispatcher(registry, onFault ? { onPackageFault: onFault } : {});
  const cred = (await sspi.acquireCredentialsHandle({ package: 'T', credentialUse: 3 })).credential!;
  return { sspi, cred };
}

describe('SEC_I_* statuses are successes (Wine treats the COMPLETE codes as failures)', () => {
  it.each([S.SEC_I_CONTINUE_NEEDED, S.SEC_I_COMPLETE_NEEDED, S.SEC_I_COMPLETE_AND_CONTINUE])(
    'a first leg returning 0x%s keeps its context',
    async (status) => {
      const { sspi, cred } = await withTables(
        { initLsaModeContext: () => ({ status, newContextHandle: 5, contextAttributes: 1 }) },
        { completeAuthToken: () => S.SEC_E_OK },
      );
      const r = await sspi.initializeSecurityContext({ credential: cred, contextReq: 0 });
      expect(r.status).toBe(status);
      expect(r.context?.isValid).toBe(true);
      expect(await sspi.completeAuthToken(r.context!, secBufferDesc())).toBe(S.SEC_E_OK);
    },
  );
});

describe('handle lifetime across legs', () => {
  it('one handle object for every leg, and no handle leaks per leg', async () => {
    let legs = 0;
    const { sspi, cred } = await withTables({
      initLsaModeContext: (_c, ctx) => ({
        status: ++legs < 5 ? S.SEC_I_CONTINUE_NEEDED : S.SEC_E_OK,
        newContextHandle: ctx ?? 9,
      }),
      deleteContext: () => S.SEC_E_OK,
    });
    const before = sspi.liveHandleCount;
    const first = await sspi.initializeSecurityContext({ credential: cred, contextReq: 0 });
    for (let i = 0; i < 4; i++) {
      const r = await sspi.initializeSecurityContext({ context: first.context!, contextReq: 0 });
      expect(r.context).toBe(first.context);
    }
    expect(sspi.liveHandleCount).toBe(before + 1);
    sspi.deleteSecurityContext(first.context!);
    expect(sspi.liveHandleCount).toBe(before);
  });

  it('a package that replaces its handle mid-handshake is followed; the caller keeps one handle', async () => {
    const seen: unknown[] = [];
    const { sspi, cred } = await withTables(
      {
        initLsaModeContext: (_c, ctx) => ({
          status: S.SEC_I_CONTINUE_NEEDED,
          newContextHandle: ctx === undefined ? 1 : 2,
        }),
        deleteContext: (h) => (seen.push(h), S.SEC_E_OK),
      },
      { makeSignature: (h) => (seen.push(h), S.SEC_E_OK) },
    );
    const r = await sspi.initializeSecurityContext({ credential: cred, contextReq: 0 });
    await sspi.initializeSecurityContext({ context: r.context!, contextReq: 0 });
    sspi.makeSignature(r.context!, 0, secBufferDesc(), 0);
    sspi.deleteSecurityContext(r.context!);
    expect(seen).toEqual([2, 2]);
  });

  it('a failed first leg deletes the handle the package returned; a failed later leg keeps the context', async () => {
    const deleted: unknown[] = [];
    let call = 0;
    const { sspi, cred } = await withTables({
      initLsaModeContext: () =>
        ++call === 1
          ? { status: S.SEC_E_LOGON_DENIED, newContextHandle: 77 }
          : call === 2
            ? { status: S.SEC_I_CONTINUE_NEEDED, newContextHandle: 78 }
            : { status: S.SEC_E_INVALID_TOKEN },
      deleteContext: (h) => (deleted.push(h), S.SEC_E_OK),
    });
    const failed = await sspi.initializeSecurityContext({ credential: cred, contextReq: 0 });
    expect(failed).toEqual({ status: S.SEC_E_LOGON_DENIED, contextAttributes: 0 });
    expect(deleted).toEqual([77]);
    const ok = await sspi.initializeSecurityContext({ credential: cred, contextReq: 0 });
    const bad = await sspi.initializeSecurityContext({ context: ok.context!, contextReq: 0 });
    expect(bad.status).toBe(S.SEC_E_INVALID_TOKEN);
    expect(ok.context!.isValid).toBe(true);
    expect(sspi.deleteSecurityContext(ok.context!)).toBe(S.SEC_E_OK);
    expect(deleted).toEqual([77, 78]);
  });

  it('a context deleted while its leg was in flight stays deleted, and the replacement handle is released', async () => {
    const deleted: unknown[] = [];
    let release: ((r: LsaModeContextResult) => void) | undefined;
    const { sspi, cred } = await withTables({
      initLsaModeContext: (_c, ctx) =>
        ctx === undefined
          ? { status: S.SEC_I_CONTINUE_NEEDED, newContextHandle: 1 }
          : new Promise((res) => (release = res)),
      deleteContext: (h) => (deleted.push(h), S.SEC_E_OK),
    });
    const r = await sspi.initializeSecurityContext({ credential: cred, contextReq: 0 });
    const pending = sspi.initializeSecurityContext({ context: r.context!, contextReq: 0 });
    expect(sspi.deleteSecurityContext(r.context!)).toBe(S.SEC_E_OK);
    release!({ status: S.SEC_E_OK, newContextHandle: 2 });
    expect((await pending).status).toBe(S.SEC_E_INVALID_HANDLE);
    expect(deleted).toEqual([1, 2]);
  });
});

describe('MappedContext', () => {
  it('hands ContextData to InitUserModeContext with the same handle, then wipes it', async () => {
    const packed = Uint8Array.of(1, 2, 3);
    const seen: [unknown, number[]][] = [];
    const { sspi, cred } = await withTables(
      {
        acceptLsaModeContext: () => ({
          status: S.SEC_E_OK,
          newContextHandle: 31,
          mappedContext: true,
          contextData: packed,
        }),
      },
      { initUserModeContext: (h, data) => (seen.push([h, [...data]]), S.SEC_E_OK) },
    );
    const r = await sspi.acceptSecurityContext({ credential: cred, contextReq: 0 });
    expect(r.status).toBe(S.SEC_E_OK);
    expect(seen).toEqual([[31, [1, 2, 3]]]);
    expect([...packed]).toEqual([0, 0, 0]);
  });

  it('a failing InitUserModeContext fails the leg and deletes the context', async () => {
    const deleted: unknown[] = [];
    const { sspi, cred } = await withTables(
      {
        acceptLsaModeContext: () => ({
          status: S.SEC_E_OK,
          newContextHandle: 31,
          mappedContext: true,
          contextData: Uint8Array.of(1),
        }),
        deleteContext: (h) => (deleted.push(h), S.SEC_E_OK),
      },
      { initUserModeContext: () => S.SEC_E_INSUFFICIENT_MEMORY },
    );
    const r = await sspi.acceptSecurityContext({ credential: cred, contextReq: 0 });
    expect(r.status).toBe(S.SEC_E_INSUFFICIENT_MEMORY);
    expect(r.context).toBeUndefined();
    expect(deleted).toEqual([31]);
    expect(sspi.liveHandleCount).toBe(1); // the credential only
  });
});

describe('packages that misbehave never crash the caller', () => {
  it('a rejecting async handshake slot yields SEC_E_INTERNAL_ERROR on either side and is reported', async () => {
    const faults: string[] = [];
    const reject = async (): Promise<never> => {
      await Promise.resolve();
      throw new Error('boom');
    };
    const { sspi, cred } = await withTables(
      { initLsaModeContext: reject, acceptLsaModeContext: reject },
      undefined,
      (f) => faults.push(f.operation),
    );
    expect((await sspi.initializeSecurityContext({ credential: cred, contextReq: 0 })).status).toBe(
      S.SEC_E_INTERNAL_ERROR,
    );
    expect((await sspi.acceptSecurityContext({ credential: cred, contextReq: 0 })).status).toBe(S.SEC_E_INTERNAL_ERROR);
    expect(faults).toEqual(['InitializeSecurityContext', 'AcceptSecurityContext']);
    expect(sspi.liveHandleCount).toBe(1);
  });

  it('a throwing slot yields SEC_E_INTERNAL_ERROR and is reported to onPackageFault', async () => {
    const faults: string[] = [];
    const boom = (): never => {
      throw new Error('boom');
    };
    const { sspi, cred } = await withTables(
      {
        initLsaModeContext: (_c, ctx) => (ctx === undefined ? { status: 0, newContextHandle: 1 } : boom()),
        queryContextAttributes: boom,
        deleteContext: boom,
      },
      { makeSignature: boom, getContextToken: boom, completeAuthToken: async () => boom() },
      (f) => faults.push(f.operation),
    );
    const r = await sspi.initializeSecurityContext({ credential: cred, contextReq: 0 });
    expect((await sspi.initializeSecurityContext({ context: r.context!, contextReq: 0 })).status).toBe(
      S.SEC_E_INTERNAL_ERROR,
    );
    expect(sspi.makeSignature(r.context!, 0, secBufferDesc(), 0)).toBe(S.SEC_E_INTERNAL_ERROR);
    expect(sspi.queryContextAttributes(r.context!, 0).status).toBe(S.SEC_E_INTERNAL_ERROR);
    expect(sspi.querySecurityContextToken(r.context!).status).toBe(S.SEC_E_INTERNAL_ERROR);
    expect(await sspi.completeAuthToken(r.context!, secBufferDesc())).toBe(S.SEC_E_INTERNAL_ERROR);
    expect(sspi.deleteSecurityContext(r.context!)).toBe(S.SEC_E_INTERNAL_ERROR);
    expect(r.context!.isValid).toBe(false);
    expect(faults).toEqual([
      'InitializeSecurityContext',
      'MakeSignature',
      'QueryContextAttributes',
      'QuerySecurityContextToken',
      'CompleteAuthToken',
      'DeleteContext',
    ]);
  });

  it('a slot that returns something that is not a status yields SEC_E_INTERNAL_ERROR, reported as a fault', async () => {
    const faults: string[] = [];
    let first = true;
    const { sspi, cred } = await withTables(
      {
        initLsaModeContext: () =>
          first
            ? ((first = false), { status: 'ok' as unknown as number, newContextHandle: 1 })
            : { status: 0, newContextHandle: 2 },
      },
      { makeSignature: () => 1.5, verifySignature: () => Promise.resolve(0) as unknown as number },
      (f) => faults.push(f.operation),
    );
    expect((await sspi.initializeSecurityContext({ credential: cred, contextReq: 0 })).status).toBe(
      S.SEC_E_INTERNAL_ERROR,
    );
    const ctx = (await sspi.initializeSecurityContext({ credential: cred, contextReq: 0 })).context!;
    expect(sspi.makeSignature(ctx, 0, secBufferDesc(), 0)).toBe(S.SEC_E_INTERNAL_ERROR);
    expect(sspi.verifySignature(ctx, secBufferDesc(), 0)).toBe(S.SEC_E_INTERNAL_ERROR);
    expect(faults).toEqual(['InitializeSecurityContext', 'MakeSignature', 'VerifySignature']);
  });

  it('ContextData that is not bytes fails the leg with SEC_E_INTERNAL_ERROR and deletes the context, without throwing', async () => {
    const deleted: unknown[] = [];
    const { sspi, cred } = await withTables(
      {
        acceptLsaModeContext: () => ({
          status: S.SEC_E_OK,
          newContextHandle: 5,
          mappedContext: true,
          contextData: 'secret' as unknown as Uint8Array,
        }),
        deleteContext: (h) => (deleted.push(h), S.SEC_E_OK),
      },
      { initUserModeContext: () => S.SEC_E_OK },
    );
    const r = await sspi.acceptSecurityContext({ credential: cred, contextReq: 0 });
    expect(r).toEqual({ status: S.SEC_E_INTERNAL_ERROR, contextAttributes: 0 });
    expect(deleted).toEqual([5]);
  });

  it('a successful handshake with no handle is an internal error, not a half-made context', async () => {
    const { sspi, cred } = await withTables({ initLsaModeContext: () => ({ status: S.SEC_E_OK }) });
    expect((await sspi.initializeSecurityContext({ credential: cred, contextReq: 0 })).status).toBe(
      S.SEC_E_INTERNAL_ERROR,
    );
  });
});

describe('bad input gets a precise status before it reaches a package', () => {
  const bad: [string, unknown][] = [
    ['not an object', 'token'],
    ['a wrong version', { version: 1, buffers: [] }],
    ['buffers that are not an array', { version: 0, buffers: {} }],
    ['a buffer without bytes', { version: 0, buffers: [{ type: 2, flags: 0 }] }],
    ['a buffer with a string payload', { version: 0, buffers: [{ type: 2, flags: 0, data: 'abc' }] }],
    ['a negative buffer type', { version: 0, buffers: [{ type: -1, flags: 0, data: new Uint8Array(1) }] }],
  ];
  it.each(bad)('a descriptor with %s → SEC_E_INVALID_TOKEN', async (_label, desc) => {
    let reached = 0;
    const { sspi, cred } = await withTables(
      {
        initLsaModeContext: () => (reached++, { status: 0, newContextHandle: 1 }),
        acceptLsaModeContext: () => (reached++, { status: 0, newContextHandle: 2 }),
      },
      {
        makeSignature: () => (reached++, 0),
        verifySignature: () => (reached++, 0),
        sealMessage: () => (reached++, 0),
        unsealMessage: () => (reached++, 0),
        completeAuthToken: () => (reached++, 0),
      },
    );
    const d = desc as SecBufferDesc;
    expect((await sspi.initializeSecurityContext({ credential: cred, contextReq: 0, input: d })).status).toBe(
      S.SEC_E_INVALID_TOKEN,
    );
    expect((await sspi.acceptSecurityContext({ credential: cred, contextReq: 0, output: d })).status).toBe(
      S.SEC_E_INVALID_TOKEN,
    );
    const ctx = (await sspi.initializeSecurityContext({ credential: cred, contextReq: 0 })).context!;
    reached = 0;
    expect(sspi.makeSignature(ctx, 0, d, 0)).toBe(S.SEC_E_INVALID_TOKEN);
    expect(sspi.verifySignature(ctx, d, 0)).toBe(S.SEC_E_INVALID_TOKEN);
    expect(sspi.encryptMessage(ctx, 0, d, 0)).toBe(S.SEC_E_INVALID_TOKEN);
    expect(sspi.decryptMessage(ctx, d, 0)).toBe(S.SEC_E_INVALID_TOKEN);
    expect(await sspi.completeAuthToken(ctx, d)).toBe(S.SEC_E_INVALID_TOKEN);
    expect(reached).toBe(0);
  });

  it('non-integer requirement flags or attributes → SEC_E_INVALID_PARAMETER', async () => {
    const { sspi, cred } = await withTables({
      initLsaModeContext: () => ({ status: 0, newContextHandle: 1 }),
      queryContextAttributes: () => ({ status: 0 }),
    });
    expect(
      (await sspi.initializeSecurityContext({ credential: cred, contextReq: '2' as unknown as number })).status,
    ).toBe(S.SEC_E_INVALID_PARAMETER);
    expect((await sspi.acquireCredentialsHandle({ package: 'T', credentialUse: Number.NaN })).status).toBe(
      S.SEC_E_INVALID_PARAMETER,
    );
    const ctx = (await sspi.initializeSecurityContext({ credential: cred, contextReq: 0 })).context!;
    expect(sspi.queryContextAttributes(ctx, 1.5).status).toBe(S.SEC_E_INVALID_PARAMETER);
  });

  it("bad qop or sequence numbers are the caller's mistake (SEC_E_INVALID_PARAMETER), not a package fault", async () => {
    const faults: string[] = [];
    let reached = 0;
    const { sspi, cred } = await withTables(
      { initLsaModeContext: () => ({ status: 0, newContextHandle: 1 }) },
      { makeSignature: () => (reached++, 0), unsealMessage: () => (reached++, 0) },
      (f) => faults.push(f.operation),
    );
    const ctx = (await sspi.initializeSecurityContext({ credential: cred, contextReq: 0 })).context!;
    const desc = secBufferDesc();
    for (const bad of [
      Symbol('q'),
      1n,
      -1,
      2 ** 32,
      1.5,
      {
        valueOf: () => {
          throw new Error('x');
        },
      },
    ] as unknown[]) {
      expect(sspi.makeSignature(ctx, bad as number, desc, 0)).toBe(S.SEC_E_INVALID_PARAMETER);
      expect(sspi.makeSignature(ctx, 0, desc, bad as number)).toBe(S.SEC_E_INVALID_PARAMETER);
      expect(sspi.decryptMessage(ctx, desc, bad as number)).toBe(S.SEC_E_INVALID_PARAMETER);
    }
    expect(reached).toBe(0);
    expect(faults).toEqual([]);
  });

  it('arguments whose getters throw never make the dispatcher throw', async () => {
    const { sspi, cred } = await withTables(
      { initLsaModeContext: () => ({ status: 0, newContextHandle: 1 }) },
      { makeSignature: () => 0 },
    );
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('boom');
        },
      },
    );
    const ctx = (await sspi.initializeSecurityContext({ credential: cred, contextReq: 0 })).context!;
    expect(sspi.makeSignature(ctx, 0, hostile as SecBufferDesc, 0)).toBe(S.SEC_E_INVALID_TOKEN);
    expect((await sspi.initializeSecurityContext(hostile as never)).status).toBe(S.SEC_E_INVALID_PARAMETER);
    expect((await sspi.acceptSecurityContext(hostile as never)).status).toBe(S.SEC_E_INVALID_PARAMETER);
    expect((await sspi.acquireCredentialsHandle(hostile as never)).status).toBe(S.SEC_E_INVALID_PARAMETER);
    expect(await sspi.changeAccountPassword(hostile as never)).toBe(S.SEC_E_INVALID_PARAMETER);
    expect((await sspi.addCredentials(cred, hostile as never)).status).toBe(S.SEC_E_INVALID_PARAMETER);
  });

  it('handles of a package the registry shut down are dead', async () => {
    let reached = 0;
    const { sspi, cred } = await withTables(
      { initLsaModeContext: () => ({ status: 0, newContextHandle: 1 }) },
      { makeSignature: () => (reached++, 0) },
    );
    const ctx = (await sspi.initializeSecurityContext({ credential: cred, contextReq: 0 })).context!;
    sspi.registry.shutdown();
    expect(ctx.isValid).toBe(false);
    expect(cred.isValid).toBe(false);
    expect(sspi.makeSignature(ctx, 0, secBufferDesc(), 0)).toBe(S.SEC_E_INVALID_HANDLE);
    expect(sspi.freeCredentialsHandle(cred)).toBe(S.SEC_E_INVALID_HANDLE);
    expect(reached).toBe(0);
  });

  it('FreeContextBuffer wipes what it is given', async () => {
    const { sspi } = await withTables({});
    const key = Uint8Array.of(9, 9);
    expect(sspi.freeContextBuffer(key)).toBe(S.SEC_E_OK);
    expect([...key]).toEqual([0, 0]);
    const desc = secBufferDesc(secBuffer(SecBufferType.TOKEN, Uint8Array.of(5)));
    expect(sspi.freeContextBuffer(desc)).toBe(S.SEC_E_OK);
    expect([...desc.buffers[0]!.data]).toEqual([0]);
    expect(sspi.freeContextBuffer(3 as unknown as Uint8Array)).toBe(S.SEC_E_INVALID_PARAMETER);
  });
});

describe('impersonation (ImpersonateSecurityContext, QuerySecurityContextToken)', () => {
  const token = { authenticationPackage: 'T', user: 'alice', groups: [] };
  async function contexts(capabilities = 0x100) {
    const registry = new Registry();
    await registry.load({
      spLsaModeInitialize: () => ({
        status: 0,
        packageVersion: SecPkgInterfaceVersion.VERSION,
        tables: [
          {
            getInfo: () => ({
              status: 0,
              packageInfo: { name: 'T', comment: '', capabilities, version: 1, rpcId: 0xffff, maxToken: 10 },
            }),
            acquireCredentialsHandle: () => ({ status: 0, credentialHandle: 1 }),
            initLsaModeContext: () => ({ status: 0, newContextHandle: 2 }),
            acceptLsaModeContext: () => ({ status: 0, newContextHandle: 3 }),
            deleteContext: () => 0,
          },
        ],
      }),
      spUserModeInitialize: () => ({
        status: 0,
        packageVersion: SecPkgInterfaceVersion.VERSION,
        tables: [{ getContextToken: () => ({ status: 0, token }) }],
      }),
    });
    const sspi = new SspiDispatcher(registry);
    const cred = (await sspi.acquireCredentialsHandle({ package: 'T', credentialUse: 3 })).credential!;
    const client = (await sspi.initializeSecurityContext({ credential: cred, contextReq: 0 })).context!;
    const server = (await sspi.acceptSecurityContext({ credential: cred, contextReq: 0 })).context!;
    return { sspi, client, server };
  }

  it('client contexts and packages without SECPKG_FLAG_IMPERSONATION cannot be impersonated', async () => {
    const { sspi, client } = await contexts();
    expect(sspi.impersonateSecurityContext(client)).toBe(S.SEC_E_NO_IMPERSONATION);
    expect(sspi.runImpersonated(client, () => 1)).toEqual({ status: S.SEC_E_NO_IMPERSONATION });
    const other = await contexts(0);
    expect(other.sspi.impersonateSecurityContext(other.server)).toBe(S.SEC_E_NO_IMPERSONATION);
  });

  it('runImpersonated scopes the identity to the callback and what it starts', async () => {
    const { sspi, server } = await contexts();
    let later: unknown;
    const r = sspi.runImpersonated(server, () => {
      setTimeout(() => (later = sspi.impersonationToken()?.user), 0);
      return sspi.impersonationToken()?.user;
    });
    expect(r).toEqual({ status: S.SEC_E_OK, result: 'alice' });
    expect(sspi.impersonationToken()).toBeUndefined();
    await new Promise((res) => setTimeout(res, 5));
    expect(later).toBe('alice');
  });

  it('the identity never outlives the security context', async () => {
    const { sspi, server } = await contexts();
    await (async () => {
      expect(sspi.impersonateSecurityContext(server)).toBe(S.SEC_E_OK);
      expect(sspi.impersonationToken()?.user).toBe('alice');
      sspi.deleteSecurityContext(server);
      expect(sspi.impersonationToken()).toBeUndefined();
      expect(sspi.revertSecurityContext(server)).toBe(S.SEC_E_INVALID_HANDLE);
    })();
  });
});

describe('a package diagnostic travels as the cause', () => {
  it('an error status with a cause reaches HandshakeResult.cause and SspiError.cause', async () => {
    const diagnostic = new Error('KDC has no support for encryption type');
    const { sspi } = await withTables({
      initLsaModeContext: () => ({ status: S.SEC_E_NO_AUTHENTICATING_AUTHORITY, cause: diagnostic }),
    });
    const { clientContext } = await import('@sspkit/core');
    const cred = (await sspi.acquireCredentialsHandle({ package: 'T', credentialUse: 2 })).credential!;
    const r = await sspi.initializeSecurityContext({ credential: cred, contextReq: 0 });
    expect(r).toMatchObject({ status: S.SEC_E_NO_AUTHENTICATING_AUTHORITY, cause: diagnostic });
    const client = await clientContext(sspi, { package: 'T', credential: cred });
    await expect(client.step()).rejects.toMatchObject({ code: 'SEC_E_NO_AUTHENTICATING_AUTHORITY', cause: diagnostic });
  });
});

describe('failureCause (sspkit extension): the cause behind a failed per-message call', () => {
  it('reaches the package slot for a live context; undefined for a stale handle, a missing or throwing slot', async () => {
    const cause = new Error('library: bad MIC');
    const { sspi, cred } = await withTables(
      { initLsaModeContext: () => ({ status: S.SEC_E_OK, newContextHandle: 7 }), deleteContext: () => S.SEC_E_OK },
      { verifySignature: () => S.SEC_E_MESSAGE_ALTERED, failureCause: (h) => (h === 7 ? cause : undefined) },
    );
    const ctx = (await sspi.initializeSecurityContext({ credential: cred, contextReq: 0 })).context!;
    expect(sspi.verifySignature(ctx, secBufferDesc(), 0)).toBe(S.SEC_E_MESSAGE_ALTERED);
    expect(sspi.failureCause(ctx)).toBe(cause);
    sspi.deleteSecurityContext(ctx);
    expect(sspi.failureCause(ctx)).toBeUndefined();

    const plain = await withTables(
      { initLsaModeContext: () => ({ status: S.SEC_E_OK, newContextHandle: 1 }) },
      { verifySignature: () => S.SEC_E_MESSAGE_ALTERED },
    );
    const c2 = (await plain.sspi.initializeSecurityContext({ credential: plain.cred, contextReq: 0 })).context!;
    expect(plain.sspi.failureCause(c2)).toBeUndefined();

    const throwing = await withTables(
      { initLsaModeContext: () => ({ status: S.SEC_E_OK, newContextHandle: 1 }) },
      {
        failureCause: () => {
          throw new Error('boom');
        },
      },
    );
    const c3 = (await throwing.sspi.initializeSecurityContext({ credential: throwing.cred, contextReq: 0 })).context!;
    expect(throwing.sspi.failureCause(c3)).toBeUndefined();
  });
});

describe("the convenience layer: a failed CompleteAuthToken is thrown with the package's cause", () => {
  it('step() rejects with SspiError(CompleteAuthToken) carrying failureCause', async () => {
    const cause = new Error('entity body does not match the digest');
    const { sspi } = await withTables(
      {
        initLsaModeContext: () => ({ status: S.SEC_I_COMPLETE_NEEDED, newContextHandle: 9 }),
        deleteContext: () => S.SEC_E_OK,
      },
      { completeAuthToken: () => S.SEC_E_MESSAGE_ALTERED, failureCause: (h) => (h === 9 ? cause : undefined) },
    );
    const client = await clientContext(sspi, { package: 'T', targetName: '/x' });
    await expect(client.step()).rejects.toMatchObject({
      code: 'SEC_E_MESSAGE_ALTERED',
      operation: 'CompleteAuthToken',
      cause,
    });
    client.dispose();
  });
});
