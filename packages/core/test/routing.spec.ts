import { describe, expect, it } from 'vitest';
import {
  ContextExport,
  Registry,
  SecBufferType,
  SecPkgInterfaceVersion,
  SecStatus,
  SspiDispatcher,
  secBuffer,
  secBufferDesc,
} from '@sspkit/core';
import type { CredHandle, CtxtHandle } from '@sspkit/core';
import { recordingPackage } from './fixtures/recording.js';
import type { RecordingOptions, RecordingPackage } from './fixtures/recording.js';

const S = SecStatus;

async function setup(
  options: RecordingOptions = {},
): Promise<{ rec: RecordingPackage; sspi: SspiDispatcher; cred: CredHandle; client: CtxtHandle; server: CtxtHandle }> {
  const rec = recordingPackage(options);
  const registry = new Registry();
  await registry.load(rec.module, 'recording');
  const sspi = new SspiDispatcher(registry);
  const a = await sspi.acquireCredentialsHandle({ package: 'rec', credentialUse: 3 });
  const c = await sspi.initializeSecurityContext({ credential: a.credential!, contextReq: 0 });
  const s = await sspi.acceptSecurityContext({ credential: a.credential!, contextReq: 0 });
  rec.calls.length = 0;
  return { rec, sspi, cred: a.credential!, client: c.context!, server: s.context! };
}

function last(rec: RecordingPackage): { table: string; slot: string; args: unknown[] } {
  const c = rec.calls.at(-1);
  if (!c) throw new Error('no call recorded');
  return c;
}

describe('dispatcher routing (LSA table, then the user table after the mapped-context hand-off)', () => {
  it('AcquireCredentialsHandle → LSA #12 with every argument in order', async () => {
    const { rec, sspi } = await setup();
    const getKeyFn = () => ({ status: 0 });
    const authData = { user: 'u', password: 'p' };
    const logonId = { lowPart: 1, highPart: 2 };
    const r = await sspi.acquireCredentialsHandle({
      package: 'REC',
      principal: 'me',
      credentialUse: 2,
      logonId,
      authData,
      getKeyFn,
      getKeyArgument: 'arg',
    });
    expect(r.status).toBe(S.SEC_E_OK);
    expect(r.expiry).toBe(42n);
    expect(r.credential!.packageName).toBe('Rec');
    expect(last(rec)).toEqual({
      table: 'lsa',
      slot: 'acquireCredentialsHandle',
      args: ['me', 2, logonId, authData, getKeyFn, 'arg'],
    });
  });

  it('InitializeSecurityContext → LSA #18; AcceptSecurityContext → LSA #19, with the package handles', async () => {
    const { rec, sspi, cred, client, server } = await setup();
    const input = secBufferDesc(secBuffer(SecBufferType.TOKEN, Uint8Array.of(1)));
    const output = secBufferDesc(secBuffer(SecBufferType.TOKEN));
    const r1 = await sspi.initializeSecurityContext({
      credential: cred,
      context: client,
      targetName: 'HTTP/x',
      contextReq: 0x100,
      targetDataRep: 0x10,
      input,
      output,
    });
    expect(r1).toMatchObject({ status: S.SEC_E_OK, contextAttributes: 0x10000, expiry: 43n });
    expect(r1.context).toBe(client);
    const c = rec.calls.find((x) => x.slot === 'initLsaModeContext')!;
    expect(rec.calls.map((x) => x.slot)).toEqual(['initLsaModeContext', 'initUserModeContext']);
    expect(c.args.slice(2)).toEqual(['HTTP/x', 0x100, 0x10, input, output]);
    expect(typeof c.args[0]).toBe('number');
    expect(typeof c.args[1]).toBe('number');
    const r2 = await sspi.acceptSecurityContext({
      credential: cred,
      context: server,
      input,
      contextReq: 0x2,
      targetDataRep: 0,
      output,
    });
    expect(r2.context).toBe(server);
    expect(last(rec).slot).toBe('acceptLsaModeContext');
    expect(last(rec).args.slice(2)).toEqual([input, 0x2, 0, output]);
  });

  it('per-message calls → user #2–#5 with qop and sequence numbers', async () => {
    const { rec, sspi, client } = await setup();
    const msg = secBufferDesc(
      secBuffer(SecBufferType.DATA, Uint8Array.of(1)),
      secBuffer(SecBufferType.TOKEN, new Uint8Array(8)),
    );
    const qop = { value: 0 };
    expect(sspi.makeSignature(client, 7, msg, 3)).toBe(S.SEC_E_OK);
    expect(last(rec)).toMatchObject({ table: 'user', slot: 'makeSignature' });
    expect(last(rec).args.slice(1)).toEqual([7, msg, 3]);
    expect(sspi.verifySignature(client, msg, 4, qop)).toBe(S.SEC_E_OK);
    expect(last(rec)).toMatchObject({ table: 'user', slot: 'verifySignature' });
    expect(last(rec).args.slice(1)).toEqual([msg, 4, qop]);
    expect(sspi.encryptMessage(client, 0x80000001, msg, 5)).toBe(S.SEC_E_OK);
    expect(last(rec)).toMatchObject({ table: 'user', slot: 'sealMessage' });
    expect(last(rec).args.slice(1)).toEqual([0x80000001, msg, 5]);
    expect(sspi.decryptMessage(client, msg, 6)).toBe(S.SEC_E_OK);
    expect(last(rec)).toMatchObject({ table: 'user', slot: 'unsealMessage' });
    expect(last(rec).args.slice(1)).toEqual([msg, 6, undefined]);
  });

  it('context calls go to the documented slots, with their arguments', async () => {
    const { rec, sspi, client, server } = await setup();
    const desc = secBufferDesc(secBuffer(SecBufferType.TOKEN, Uint8Array.of(9)));
    expect(await sspi.completeAuthToken(client, desc)).toBe(S.SEC_E_OK);
    expect(last(rec)).toMatchObject({ table: 'user', slot: 'completeAuthToken', args: [expect.any(Number), desc] });
    expect(await sspi.applyControlToken(client, desc)).toBe(S.SEC_E_OK);
    expect(last(rec)).toMatchObject({ table: 'lsa', slot: 'applyControlToken', args: [expect.any(Number), desc] });
    // The client context was mapped to user mode: user #7. The server context was not: LSA #24.
    expect(sspi.queryContextAttributes(client, 14)).toEqual({ status: S.SEC_E_OK, buffer: { flags: 7 } });
    expect(last(rec)).toMatchObject({ table: 'user', slot: 'queryContextAttributes', args: [expect.any(Number), 14] });
    expect(sspi.queryContextAttributes(server, 0).status).toBe(S.SEC_E_OK);
    expect(last(rec)).toMatchObject({ table: 'lsa', slot: 'queryContextAttributes', args: [expect.any(Number), 0] });
    expect(sspi.setContextAttributes(client, 99, 'v')).toBe(S.SEC_E_OK);
    expect(last(rec)).toMatchObject({ table: 'lsa', slot: 'setContextAttributes' });
    expect(last(rec).args.slice(1)).toEqual([99, 'v']);
    expect(sspi.querySecurityContextToken(server).token?.user).toBe('u');
    expect(last(rec)).toMatchObject({ table: 'user', slot: 'getContextToken' });
    expect(sspi.impersonateSecurityContext(server)).toBe(S.SEC_E_OK);
    expect(last(rec)).toMatchObject({ table: 'user', slot: 'getContextToken' });
    expect(sspi.impersonationToken()?.user).toBe('u');
    expect(sspi.revertSecurityContext(server)).toBe(S.SEC_E_OK);
    expect(sspi.impersonationToken()).toBeUndefined();
    const exp = sspi.exportSecurityContext(client, ContextExport.RESET_NEW);
    expect(exp.packedContext).toEqual(Uint8Array.of(1, 2, 3));
    expect(last(rec)).toMatchObject({
      table: 'user',
      slot: 'exportContext',
      args: [expect.any(Number), ContextExport.RESET_NEW],
    });
    const token = { authenticationPackage: 'Rec', user: 'u', groups: [] };
    const imp = sspi.importSecurityContext('rec', exp.packedContext!, token);
    expect(imp.context?.packageName).toBe('Rec');
    expect(last(rec)).toEqual({ table: 'user', slot: 'importContext', args: [exp.packedContext, token] });
    rec.calls.length = 0;
    expect(sspi.deleteSecurityContext(client)).toBe(S.SEC_E_OK);
    expect(rec.calls.map((c) => `${c.table}.${c.slot}`)).toEqual(['user.deleteUserModeContext', 'lsa.deleteContext']);
    expect(rec.calls[0]!.args).toEqual(rec.calls[1]!.args);
  });

  it('a mapped leg hands ContextData to InitUserModeContext with the same handle', async () => {
    const { rec, sspi, cred } = await setup();
    const r = await sspi.initializeSecurityContext({ credential: cred, contextReq: 0 });
    const [init, user] = rec.calls.slice(-2);
    expect(init).toMatchObject({ table: 'lsa', slot: 'initLsaModeContext' });
    expect(user).toMatchObject({ table: 'user', slot: 'initUserModeContext' });
    expect(user!.args[0]).toBe(rec.nextHandle - 1);
    expect([...(user!.args[1] as Uint8Array)]).toEqual([0, 0]); // wiped after the hand-over
    expect(r.context?.isValid).toBe(true);
  });

  it('credential calls go to LSA #13, #14, #25, #28; ChangeAccountPassword to #29', async () => {
    const { rec, sspi, cred } = await setup();
    expect(sspi.queryCredentialsAttributes(cred, 1).buffer).toEqual({ userName: 'rec\\user' });
    expect(last(rec)).toMatchObject({
      table: 'lsa',
      slot: 'queryCredentialsAttributes',
      args: [expect.any(Number), 1],
    });
    expect(sspi.setCredentialsAttributes(cred, 2, 'x')).toBe(S.SEC_E_OK);
    expect(last(rec)).toMatchObject({ table: 'lsa', slot: 'setCredentialsAttributes' });
    const add = await sspi.addCredentials(cred, { package: 'Rec', principal: 'p', credentialUse: 2 });
    expect(add).toEqual({ status: S.SEC_E_OK, expiry: 45n });
    expect(last(rec).args.slice(1, 4)).toEqual(['p', 'Rec', 2]);
    const output = secBufferDesc(secBuffer(SecBufferType.CHANGE_PASS_RESPONSE));
    expect(
      await sspi.changeAccountPassword({
        package: 'rec',
        domain: 'D',
        account: 'a',
        oldPassword: 'o',
        newPassword: 'n',
        output,
      }),
    ).toBe(S.SEC_E_OK);
    expect(last(rec)).toMatchObject({
      table: 'lsa',
      slot: 'changeAccountPassword',
      args: ['D', 'a', 'o', 'n', false, output],
    });
    expect(sspi.freeCredentialsHandle(cred)).toBe(S.SEC_E_OK);
    expect(last(rec)).toMatchObject({ table: 'lsa', slot: 'freeCredentialsHandle' });
  });

  it('package info comes from GetInfo, cached at load; unknown names give SEC_E_SECPKG_NOT_FOUND', async () => {
    const { rec, sspi } = await setup();
    expect(sspi.enumerateSecurityPackages().packages.map((p) => p.name)).toEqual(['Rec']);
    expect(sspi.querySecurityPackageInfo('REC').packageInfo?.maxToken).toBe(100);
    expect(rec.calls).toHaveLength(0);
    expect(sspi.querySecurityPackageInfo('nope').status).toBe(S.SEC_E_SECPKG_NOT_FOUND);
    expect((await sspi.acquireCredentialsHandle({ package: 'nope', credentialUse: 2 })).status).toBe(
      S.SEC_E_SECPKG_NOT_FOUND,
    );
    expect(sspi.importSecurityContext('nope', Uint8Array.of(1)).status).toBe(S.SEC_E_SECPKG_NOT_FOUND);
    expect(
      await sspi.changeAccountPassword({ package: 'nope', domain: '', account: '', oldPassword: '', newPassword: '' }),
    ).toBe(S.SEC_E_SECPKG_NOT_FOUND);
  });

  it('QueryContextAttributes uses LSA #24 when there is no user table, and nothing when neither table has it', async () => {
    const { rec, sspi, client } = await setup({ omit: ['queryContextAttributes'] });
    expect(sspi.queryContextAttributes(client, 0).status).toBe(S.SEC_E_UNSUPPORTED_FUNCTION);
    expect(rec.calls).toHaveLength(0);
    const t = await setup({ noUserTable: true });
    expect(t.sspi.queryContextAttributes(t.client, 0).status).toBe(S.SEC_E_OK);
    expect(last(t.rec)).toMatchObject({ table: 'lsa', slot: 'queryContextAttributes' });
  });
});

describe('absent slots', () => {
  const cases: [string, (t: Awaited<ReturnType<typeof setup>>) => unknown][] = [
    [
      'acquireCredentialsHandle',
      (t) => t.sspi.acquireCredentialsHandle({ package: 'rec', credentialUse: 2 }).then((r) => r.status),
    ],
    [
      'addCredentials',
      (t) => t.sspi.addCredentials(t.cred, { package: 'rec', credentialUse: 2 }).then((r) => r.status),
    ],
    ['queryCredentialsAttributes', (t) => t.sspi.queryCredentialsAttributes(t.cred, 1).status],
    ['setCredentialsAttributes', (t) => t.sspi.setCredentialsAttributes(t.cred, 1, null)],
    [
      'initLsaModeContext',
      (t) => t.sspi.initializeSecurityContext({ credential: t.cred, contextReq: 0 }).then((r) => r.status),
    ],
    [
      'acceptLsaModeContext',
      (t) => t.sspi.acceptSecurityContext({ credential: t.cred, contextReq: 0 }).then((r) => r.status),
    ],
    ['completeAuthToken', (t) => t.sspi.completeAuthToken(t.client, secBufferDesc())],
    ['applyControlToken', (t) => t.sspi.applyControlToken(t.client, secBufferDesc())],
    ['setContextAttributes', (t) => t.sspi.setContextAttributes(t.client, 1, null)],
    ['getContextToken', (t) => t.sspi.querySecurityContextToken(t.server).status],
    ['makeSignature', (t) => t.sspi.makeSignature(t.client, 0, secBufferDesc(), 0)],
    ['verifySignature', (t) => t.sspi.verifySignature(t.client, secBufferDesc(), 0)],
    ['sealMessage', (t) => t.sspi.encryptMessage(t.client, 0, secBufferDesc(), 0)],
    ['unsealMessage', (t) => t.sspi.decryptMessage(t.client, secBufferDesc(), 0)],
    ['exportContext', (t) => t.sspi.exportSecurityContext(t.client, 0).status],
    ['importContext', (t) => t.sspi.importSecurityContext('rec', new Uint8Array(1)).status],
    [
      'changeAccountPassword',
      (t) =>
        t.sspi.changeAccountPassword({ package: 'rec', domain: '', account: '', oldPassword: '', newPassword: '' }),
    ],
  ];
  it.each(cases)('without %s the dispatcher answers SEC_E_UNSUPPORTED_FUNCTION', async (slot, call) => {
    const t = await setup({ omit: [slot] });
    expect(await call(t)).toBe(S.SEC_E_UNSUPPORTED_FUNCTION);
    expect(t.rec.calls).toHaveLength(0);
  });

  it('without DeleteContext/FreeCredentialsHandle the answer is SEC_E_INVALID_HANDLE and the handle is retired', async () => {
    const t = await setup({ omit: ['deleteContext', 'deleteUserModeContext', 'freeCredentialsHandle'] });
    expect(t.sspi.deleteSecurityContext(t.client)).toBe(S.SEC_E_INVALID_HANDLE);
    expect(t.client.isValid).toBe(false);
    expect(t.sspi.freeCredentialsHandle(t.cred)).toBe(S.SEC_E_INVALID_HANDLE);
    expect(t.cred.isValid).toBe(false);
  });

  it('ImpersonateSecurityContext without GetContextToken answers SEC_E_NO_IMPERSONATION', async () => {
    const t = await setup({ omit: ['getContextToken'] });
    expect(t.sspi.impersonateSecurityContext(t.server)).toBe(S.SEC_E_NO_IMPERSONATION);
  });

  it('members beyond the declared table version are absent (SetContextAttributes needs VERSION_2)', async () => {
    const t = await setup({ lsaVersion: SecPkgInterfaceVersion.VERSION, userVersion: SecPkgInterfaceVersion.VERSION });
    expect(t.sspi.setContextAttributes(t.client, 1, null)).toBe(S.SEC_E_UNSUPPORTED_FUNCTION);
    expect(t.sspi.setCredentialsAttributes(t.cred, 1, null)).toBe(S.SEC_E_UNSUPPORTED_FUNCTION);
    expect(
      await t.sspi.changeAccountPassword({ package: 'rec', domain: '', account: '', oldPassword: '', newPassword: '' }),
    ).toBe(S.SEC_E_UNSUPPORTED_FUNCTION);
    expect(t.sspi.registry.get('rec')!.user!.marshalAttributeData).toBeUndefined();
    const v3 = await setup({ lsaVersion: SecPkgInterfaceVersion.VERSION_3 });
    expect(v3.sspi.setCredentialsAttributes(v3.cred, 1, null)).toBe(S.SEC_E_OK);
    expect(
      await v3.sspi.changeAccountPassword({
        package: 'rec',
        domain: '',
        account: '',
        oldPassword: '',
        newPassword: '',
      }),
    ).toBe(S.SEC_E_UNSUPPORTED_FUNCTION);
  });
});
