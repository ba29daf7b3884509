import { describe, expect, it } from 'vitest';
import {
  CredHandle,
  CtxtHandle,
  Registry,
  SecBufferType,
  SecStatus,
  SspiDispatcher,
  secBuffer,
  secBufferDesc,
} from '@sspkit/core';
import { recordingPackage } from './fixtures/recording.js';

const S = SecStatus;

async function world() {
  const a = recordingPackage({ name: 'PkgA' });
  const b = recordingPackage({ name: 'PkgB' });
  const registry = new Registry();
  await registry.load(a.module, 'a');
  await registry.load(b.module, 'b');
  const sspi = new SspiDispatcher(registry);
  const other = new SspiDispatcher(registry);
  const mk = async (d: SspiDispatcher, pkg: string) => {
    const cred = (await d.acquireCredentialsHandle({ package: pkg, credentialUse: 3 })).credential!;
    const client = (await d.initializeSecurityContext({ credential: cred, contextReq: 0 })).context!;
    const server = (await d.acceptSecurityContext({ credential: cred, contextReq: 0 })).context!;
    return { cred, client, server };
  };
  const live = await mk(sspi, 'PkgA');
  const pkgB = await mk(sspi, 'PkgB');
  const foreign = await mk(other, 'PkgA');
  const freed = await mk(sspi, 'PkgA');
  sspi.freeCredentialsHandle(freed.cred);
  sspi.deleteSecurityContext(freed.client);
  sspi.deleteSecurityContext(freed.server);
  a.calls.length = 0;
  b.calls.length = 0;
  return { sspi, a, b, live, pkgB, foreign, freed };
}

type World = Awaited<ReturnType<typeof world>>;
const msg = () =>
  secBufferDesc(secBuffer(SecBufferType.DATA, Uint8Array.of(1)), secBuffer(SecBufferType.TOKEN, new Uint8Array(16)));

/** Every method that takes a context, called with `h` in the context's place. */
const contextMethods: [string, (w: World, h: unknown) => unknown][] = [
  [
    'InitializeSecurityContext',
    (w, h) =>
      w.sspi
        .initializeSecurityContext({ credential: w.live.cred, context: h as CtxtHandle, contextReq: 0 })
        .then((r) => r.status),
  ],
  [
    'AcceptSecurityContext',
    (w, h) =>
      w.sspi
        .acceptSecurityContext({ credential: w.live.cred, context: h as CtxtHandle, contextReq: 0 })
        .then((r) => r.status),
  ],
  ['CompleteAuthToken', (w, h) => w.sspi.completeAuthToken(h as CtxtHandle, secBufferDesc())],
  ['ApplyControlToken', (w, h) => w.sspi.applyControlToken(h as CtxtHandle, secBufferDesc())],
  ['DeleteSecurityContext', (w, h) => w.sspi.deleteSecurityContext(h as CtxtHandle)],
  ['QueryContextAttributes', (w, h) => w.sspi.queryContextAttributes(h as CtxtHandle, 0).status],
  ['SetContextAttributes', (w, h) => w.sspi.setContextAttributes(h as CtxtHandle, 1, 0)],
  ['QuerySecurityContextToken', (w, h) => w.sspi.querySecurityContextToken(h as CtxtHandle).status],
  ['ImpersonateSecurityContext', (w, h) => w.sspi.impersonateSecurityContext(h as CtxtHandle)],
  ['RevertSecurityContext', (w, h) => w.sspi.revertSecurityContext(h as CtxtHandle)],
  ['MakeSignature', (w, h) => w.sspi.makeSignature(h as CtxtHandle, 0, msg(), 0)],
  ['VerifySignature', (w, h) => w.sspi.verifySignature(h as CtxtHandle, msg(), 0)],
  ['EncryptMessage', (w, h) => w.sspi.encryptMessage(h as CtxtHandle, 0, msg(), 0)],
  ['DecryptMessage', (w, h) => w.sspi.decryptMessage(h as CtxtHandle, msg(), 0)],
  ['ExportSecurityContext', (w, h) => w.sspi.exportSecurityContext(h as CtxtHandle, 0).status],
];

/** Every method that takes a credential, called with `h` in the credential's place. */
const credentialMethods: [string, (w: World, h: unknown) => unknown][] = [
  [
    'AddCredentials',
    (w, h) => w.sspi.addCredentials(h as CredHandle, { package: 'PkgA', credentialUse: 2 }).then((r) => r.status),
  ],
  ['QueryCredentialsAttributes', (w, h) => w.sspi.queryCredentialsAttributes(h as CredHandle, 1).status],
  ['SetCredentialsAttributes', (w, h) => w.sspi.setCredentialsAttributes(h as CredHandle, 1, 0)],
  ['FreeCredentialsHandle', (w, h) => w.sspi.freeCredentialsHandle(h as CredHandle)],
  [
    'InitializeSecurityContext',
    (w, h) => w.sspi.initializeSecurityContext({ credential: h as CredHandle, contextReq: 0 }).then((r) => r.status),
  ],
  [
    'AcceptSecurityContext',
    (w, h) => w.sspi.acceptSecurityContext({ credential: h as CredHandle, contextReq: 0 }).then((r) => r.status),
  ],
];

const forged = (): unknown[] => [
  null,
  42,
  'handle',
  {},
  { kind: 'context', package: 'PkgA', valid: true },
  Object.create(CtxtHandle.prototype),
  Object.create(CredHandle.prototype),
];

const contextBad: [string, (w: World) => unknown[]][] = [
  ['never issued', () => forged()],
  ['deleted', (w) => [w.freed.client, w.freed.server]],
  ['of the wrong kind (a credential)', (w) => [w.live.cred]],
  ['issued by another dispatcher', (w) => [w.foreign.client, w.foreign.server]],
];

const credentialBad: [string, (w: World) => unknown[]][] = [
  ['never issued', () => forged()],
  ['freed', (w) => [w.freed.cred]],
  ['of the wrong kind (a context)', (w) => [w.live.client, w.live.server]],
  ['issued by another dispatcher', (w) => [w.foreign.cred]],
];

describe('handle misuse never reaches a package and never throws', () => {
  for (const [method, call] of contextMethods) {
    for (const [label, values] of contextBad) {
      it(`${method} with a context handle ${label} → SEC_E_INVALID_HANDLE`, async () => {
        const w = await world();
        for (const h of values(w)) {
          expect(await call(w, h)).toBe(S.SEC_E_INVALID_HANDLE);
        }
        expect(w.a.calls).toEqual([]);
        expect(w.b.calls).toEqual([]);
      });
    }
  }
  for (const [method, call] of credentialMethods) {
    for (const [label, values] of credentialBad) {
      it(`${method} with a credential handle ${label} → SEC_E_INVALID_HANDLE`, async () => {
        const w = await world();
        for (const h of values(w)) {
          expect(await call(w, h)).toBe(S.SEC_E_INVALID_HANDLE);
        }
        expect(w.a.calls).toEqual([]);
      });
    }
  }

  it("handshake calls with a credential and a context of different packages (another package's handle) → SEC_E_INVALID_HANDLE", async () => {
    const w = await world();
    expect(
      (await w.sspi.initializeSecurityContext({ credential: w.live.cred, context: w.pkgB.client, contextReq: 0 }))
        .status,
    ).toBe(S.SEC_E_INVALID_HANDLE);
    expect(
      (await w.sspi.acceptSecurityContext({ credential: w.pkgB.cred, context: w.live.server, contextReq: 0 })).status,
    ).toBe(S.SEC_E_INVALID_HANDLE);
    expect(w.a.calls).toEqual([]);
    expect(w.b.calls).toEqual([]);
  });

  it('a server context passed to InitializeSecurityContext (and vice versa) is the wrong kind', async () => {
    const w = await world();
    expect((await w.sspi.initializeSecurityContext({ context: w.live.server, contextReq: 0 })).status).toBe(
      S.SEC_E_INVALID_HANDLE,
    );
    expect((await w.sspi.acceptSecurityContext({ context: w.live.client, contextReq: 0 })).status).toBe(
      S.SEC_E_INVALID_HANDLE,
    );
    expect((await w.sspi.initializeSecurityContext({ contextReq: 0 })).status).toBe(S.SEC_E_INVALID_HANDLE);
    expect(w.a.calls).toEqual([]);
  });

  it('handles name their package and do not reveal the package handle', async () => {
    const w = await world();
    expect(w.live.cred.packageName).toBe('PkgA');
    expect(w.pkgB.client.packageName).toBe('PkgB');
    expect(w.live.server.side).toBe('server');
    expect(JSON.stringify(w.live.client)).toBe('{"kind":"context","package":"PkgA","side":"client","valid":true}');
    expect(Object.keys(w.live.client)).toEqual([]);
    expect(String(w.freed.cred)).toBe('CredHandle(PkgA, freed)');
  });

  it('a deleted handle stays dead: the package never sees it again, even after many new handles', async () => {
    const w = await world();
    const dead = w.live.client;
    expect(w.sspi.deleteSecurityContext(dead)).toBe(S.SEC_E_OK);
    for (let i = 0; i < 50; i++) await w.sspi.initializeSecurityContext({ credential: w.live.cred, contextReq: 0 });
    w.a.calls.length = 0;
    expect(w.sspi.makeSignature(dead, 0, msg(), 0)).toBe(S.SEC_E_INVALID_HANDLE);
    expect(w.sspi.deleteSecurityContext(dead)).toBe(S.SEC_E_INVALID_HANDLE);
    expect(w.a.calls).toEqual([]);
  });
});
