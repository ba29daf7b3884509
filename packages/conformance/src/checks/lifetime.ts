/**
 * Lifetime and handles: deleted contexts and freed credentials are dead everywhere (through the
 * dispatcher and, underneath it, in the package's own tables), absent slots answer exactly
 * SEC_E_UNSUPPORTED_FUNCTION, contexts outlive their credentials, deleting one context touches no other.
 */
import { ContextExport, SecBufferType, SecPkgAttr, SecPkgCred, secBuffer, secBufferDesc } from '@sspkit/core';
import { statusList } from '../outcome.js';
import type { CtxtHandle, LsaSecHandle, SecurityStatus, SspiDispatcher } from '@sspkit/core';
import type { Harness } from '../harness.js';
import { messageBytes } from '../messages.js';
import type { CheckContext, ConformanceCheck, SlotName } from '../types.js';
import { S, bothWays, exchange, protection, rawCall } from './common.js';

const msg = (): ReturnType<typeof secBufferDesc> =>
  secBufferDesc(
    secBuffer(SecBufferType.DATA, messageBytes('dead', 16)),
    secBuffer(SecBufferType.TOKEN, new Uint8Array(256)),
  );
const UNKNOWN_ATTRIBUTE = 0x7ffe0001;

/** Every context call an application can make, on `ctx`. */
async function contextCalls(sspi: SspiDispatcher, ctx: CtxtHandle): Promise<[string, number][]> {
  return [
    ['MakeSignature', sspi.makeSignature(ctx, 0, msg(), 0)],
    ['VerifySignature', sspi.verifySignature(ctx, msg(), 0)],
    ['EncryptMessage', sspi.encryptMessage(ctx, 0, msg(), 0)],
    ['DecryptMessage', sspi.decryptMessage(ctx, msg(), 0)],
    ['QueryContextAttributes', sspi.queryContextAttributes(ctx, SecPkgAttr.SIZES).status],
    ['SetContextAttributes', sspi.setContextAttributes(ctx, UNKNOWN_ATTRIBUTE, {})],
    ['QuerySecurityContextToken', sspi.querySecurityContextToken(ctx).status],
    ['ExportSecurityContext', sspi.exportSecurityContext(ctx, ContextExport.RESET_NEW).status],
    ['CompleteAuthToken', await sspi.completeAuthToken(ctx, secBufferDesc(secBuffer(SecBufferType.TOKEN)))],
    [
      'ApplyControlToken',
      await sspi.applyControlToken(ctx, secBufferDesc(secBuffer(SecBufferType.TOKEN, new Uint8Array(4)))),
    ],
    ['DeleteSecurityContext', sspi.deleteSecurityContext(ctx)],
  ];
}

async function staleHandles(h: Harness, t: CheckContext): Promise<void> {
  const expected = t.accepted('status', [S.SEC_E_INVALID_HANDLE]);
  const p = await h.pair();
  const mode = protection(h);
  if (mode) bothWays(h, t, mode, p, 'before deletion');
  t.status('DeleteSecurityContext (client)', h.clientSspi.deleteSecurityContext(p.client), [S.SEC_E_OK]);
  t.status('DeleteSecurityContext (server)', h.serverSspi.deleteSecurityContext(p.server), [S.SEC_E_OK]);
  const lsa = h.tracker.lsa[h.index];
  const user = h.tracker.user[h.index];
  const deleted = [...(h.tracker.deletedContexts.get(h.index) ?? [])];
  if (!lsa || deleted.length === 0) t.skip('no context of the package under test was deleted (a peer ran both sides?)');
  const check = (what: string, handle: LsaSecHandle, result: number | string): void => {
    if (typeof result === 'string') t.fail(`${what} on deleted handle ${String(handle)}`, result, statusList(expected));
    t.status(`${what} on deleted handle ${String(handle)}`, result, expected);
  };
  for (const hd of deleted) {
    if (user?.makeSignature)
      check(
        'SpMakeSignature',
        hd,
        rawCall(() => user.makeSignature!(hd, 0, msg(), 0)),
      );
    if (user?.verifySignature)
      check(
        'SpVerifySignature',
        hd,
        rawCall(() => user.verifySignature!(hd, msg(), 0, undefined)),
      );
    if (user?.sealMessage)
      check(
        'SpSealMessage',
        hd,
        rawCall(() => user.sealMessage!(hd, 0, msg(), 0)),
      );
    if (user?.unsealMessage)
      check(
        'SpUnsealMessage',
        hd,
        rawCall(() => user.unsealMessage!(hd, msg(), 0, undefined)),
      );
    if (user?.getContextToken)
      check(
        'SpGetContextToken',
        hd,
        rawCall(() => user.getContextToken!(hd)),
      );
    if (user?.exportContext)
      check(
        'SpExportContext',
        hd,
        rawCall(() => user.exportContext!(hd, 0)),
      );
    const q = user?.queryContextAttributes ?? lsa.queryContextAttributes;
    if (q)
      check(
        'SpQueryContextAttributes',
        hd,
        rawCall(() => q.call(user?.queryContextAttributes ? user : lsa, hd, SecPkgAttr.SIZES)),
      );
    if (lsa.deleteContext)
      check(
        'SpDeleteContext (again)',
        hd,
        rawCall(() => lsa.deleteContext!(hd)),
      );
  }
  const freed = await h.credential('client');
  t.status('FreeCredentialsHandle', h.clientSspi.freeCredentialsHandle(freed), [S.SEC_E_OK]);
  for (const hc of h.tracker.freedCredentials.get(h.index) ?? []) {
    if (lsa.freeCredentialsHandle)
      check(
        'SpFreeCredentialsHandle (again)',
        hc,
        rawCall(() => lsa.freeCredentialsHandle!(hc)),
      );
    if (lsa.queryCredentialsAttributes)
      check(
        'SpQueryCredentialsAttributes',
        hc,
        rawCall(() => lsa.queryCredentialsAttributes!(hc, 1)),
      );
  }
}

/** SSPI calls whose slot may be absent: [slot, call]. */
function optionalCalls(
  h: Harness,
  ctx: CtxtHandle,
  cred: Parameters<SspiDispatcher['freeCredentialsHandle']>[0],
): [SlotName, () => SecurityStatus | Promise<SecurityStatus>][] {
  const c = h.clientSspi;
  return [
    ['user.makeSignature', () => c.makeSignature(ctx, 0, msg(), 0)],
    ['user.verifySignature', () => c.verifySignature(ctx, msg(), 0)],
    ['user.sealMessage', () => c.encryptMessage(ctx, 0, msg(), 0)],
    ['user.unsealMessage', () => c.decryptMessage(ctx, msg(), 0)],
    ['user.getContextToken', () => c.querySecurityContextToken(ctx).status],
    ['user.completeAuthToken', () => c.completeAuthToken(ctx, secBufferDesc(secBuffer(SecBufferType.TOKEN)))],
    ['user.exportContext', () => c.exportSecurityContext(ctx, 0).status],
    ['user.importContext', () => c.importSecurityContext(h.clientPackage, new Uint8Array(8)).status],
    [
      'lsa.applyControlToken',
      () => c.applyControlToken(ctx, secBufferDesc(secBuffer(SecBufferType.TOKEN, new Uint8Array(4)))),
    ],
    ['lsa.setContextAttributes', () => c.setContextAttributes(ctx, UNKNOWN_ATTRIBUTE, {})],
    ['lsa.queryCredentialsAttributes', () => c.queryCredentialsAttributes(cred, 1).status],
    ['lsa.setCredentialsAttributes', () => c.setCredentialsAttributes(cred, UNKNOWN_ATTRIBUTE, {})],
    [
      'lsa.addCredentials',
      async () =>
        (await c.addCredentials(cred, { package: h.clientPackage, credentialUse: SecPkgCred.OUTBOUND })).status,
    ],
  ];
}

export const lifetimeChecks: readonly ConformanceCheck[] = [
  {
    id: 'lifetime.deleted-context',
    area: 'lifetime',
    group: 'DeleteSecurityContext',
    title: 'every call on a deleted context gives SEC_E_INVALID_HANDLE',
    required: true,
    gate: {},
    async run(h, t) {
      const p = await h.pair();
      for (const ctx of [p.client, p.server]) {
        const sspi = h.sspiOf(ctx);
        t.status(`DeleteSecurityContext (${ctx.side})`, sspi.deleteSecurityContext(ctx), [S.SEC_E_OK]);
        for (const [name, st] of await contextCalls(sspi, ctx))
          t.status(`${name} on the deleted ${ctx.side} context`, st, [S.SEC_E_INVALID_HANDLE]);
      }
      const cred = await h.credential('client');
      const r = await h.clientSspi.initializeSecurityContext({
        credential: cred,
        context: p.client,
        contextReq: h.clientReq,
        output: secBufferDesc(secBuffer(SecBufferType.TOKEN, new Uint8Array(h.info.maxToken))),
      });
      t.status('InitializeSecurityContext continuing a deleted context', r.status, [S.SEC_E_INVALID_HANDLE]);
    },
  },
  {
    id: 'lifetime.freed-credential',
    area: 'lifetime',
    group: 'FreeCredentialsHandle',
    title: 'every call on a freed credential gives SEC_E_INVALID_HANDLE',
    required: true,
    gate: {},
    async run(h, t) {
      const cred = await h.credential('client');
      t.status('FreeCredentialsHandle', h.clientSspi.freeCredentialsHandle(cred), [S.SEC_E_OK]);
      const c = h.clientSspi;
      t.status(
        'InitializeSecurityContext with the freed credential',
        (
          await c.initializeSecurityContext({
            credential: cred,
            contextReq: h.clientReq,
            output: secBufferDesc(secBuffer(SecBufferType.TOKEN, new Uint8Array(h.info.maxToken))),
          })
        ).status,
        [S.SEC_E_INVALID_HANDLE],
      );
      t.status('QueryCredentialsAttributes', c.queryCredentialsAttributes(cred, 1).status, [S.SEC_E_INVALID_HANDLE]);
      t.status('SetCredentialsAttributes', c.setCredentialsAttributes(cred, UNKNOWN_ATTRIBUTE, {}), [
        S.SEC_E_INVALID_HANDLE,
      ]);
      t.status(
        'AddCredentials',
        (await c.addCredentials(cred, { package: h.clientPackage, credentialUse: SecPkgCred.OUTBOUND })).status,
        [S.SEC_E_INVALID_HANDLE],
      );
      t.status('FreeCredentialsHandle (again)', c.freeCredentialsHandle(cred), [S.SEC_E_INVALID_HANDLE]);
    },
  },
  {
    id: 'lifetime.stale-package-handles',
    area: 'lifetime',
    group: 'DeleteSecurityContext',
    title:
      "the package's own tables answer SEC_E_INVALID_HANDLE for a deleted context or freed credential (no use after delete)",
    required: true,
    gate: {},
    run: staleHandles,
  },
  {
    id: 'lifetime.unsupported',
    area: 'lifetime',
    group: 'Absent slots',
    title:
      'absent slots, unknown context attributes and unknown credential attributes give exactly SEC_E_UNSUPPORTED_FUNCTION',
    required: true,
    gate: {},
    async run(h, t) {
      const p = await h.pair();
      const cred = await h.credential('client');
      const expected = [S.SEC_E_UNSUPPORTED_FUNCTION];
      let absent = 0;
      for (const [slot, call] of optionalCalls(h, p.client, cred)) {
        if (h.probe.slots.has(slot)) continue;
        absent++;
        t.status(`${slot} (absent)`, await call(), expected);
      }
      if (h.probe.slots.has('user.queryContextAttributes') || h.probe.slots.has('lsa.queryContextAttributes')) {
        for (const ctx of [p.client, p.server])
          t.status(
            `QueryContextAttributes(0x${UNKNOWN_ATTRIBUTE.toString(16)}) on the ${ctx.side}`,
            h.sspiOf(ctx).queryContextAttributes(ctx, UNKNOWN_ATTRIBUTE).status,
            expected,
          );
      }
      if (h.probe.slots.has('lsa.queryCredentialsAttributes')) {
        t.status(
          `QueryCredentialsAttributes(0x${UNKNOWN_ATTRIBUTE.toString(16)})`,
          h.clientSspi.queryCredentialsAttributes(cred, UNKNOWN_ATTRIBUTE).status,
          expected,
        );
      }
      t.note(`${absent} absent slot(s) and unknown attributes`, 'SEC_E_UNSUPPORTED_FUNCTION');
    },
  },
  {
    id: 'lifetime.context-outlives-credential',
    area: 'lifetime',
    group: 'FreeCredentialsHandle',
    title: 'an established context keeps working after both credentials are freed',
    required: true,
    gate: {},
    async run(h, t) {
      const clientCred = await h.credential('client');
      const serverCred = await h.credential('server');
      const p = await h.pair({ clientCred, serverCred });
      t.status('FreeCredentialsHandle (client)', h.clientSspi.freeCredentialsHandle(clientCred), [S.SEC_E_OK]);
      t.status('FreeCredentialsHandle (server)', h.serverSspi.freeCredentialsHandle(serverCred), [S.SEC_E_OK]);
      const mode = protection(h);
      if (mode) bothWays(h, t, mode, p, 'after the credentials were freed');
      else if (h.probe.slots.has('user.getContextToken')) {
        // No message protection applies: the server's identity is what the context still has to give.
        t.status(
          'QuerySecurityContextToken on the server after the credentials were freed',
          h.serverSspi.querySecurityContextToken(p.server).status,
          [S.SEC_E_OK],
        );
      } else
        t.skip('nothing to exercise: no message protection applies and the package has no user.getContextToken slot');
    },
  },
  {
    id: 'lifetime.delete-isolated',
    area: 'lifetime',
    group: 'DeleteSecurityContext',
    title: 'deleting one context pair leaves another pair working',
    required: true,
    gate: {},
    async run(h, t) {
      const a = await h.pair();
      const b = await h.pair();
      t.status('DeleteSecurityContext (first client)', h.clientSspi.deleteSecurityContext(a.client), [S.SEC_E_OK]);
      t.status('DeleteSecurityContext (first server)', h.serverSspi.deleteSecurityContext(a.server), [S.SEC_E_OK]);
      const mode = protection(h);
      if (mode) exchange(h, t, mode, b.client, b.server, 'second pair');
      t.status(
        'QueryContextAttributes(SIZES) on the second pair',
        h.clientSspi.queryContextAttributes(b.client, SecPkgAttr.SIZES).status,
        [S.SEC_E_OK, S.SEC_E_UNSUPPORTED_FUNCTION],
      );
    },
  },
];
