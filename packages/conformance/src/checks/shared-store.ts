/**
 * Replay across server instances: a service that runs several instances behind a load balancer keeps
 * its replay state in a store they share (Digest's nonce counts, the Kerberos acceptor's
 * authenticators, RFC 7616 §3.4 and RFC 4120 §3.2.3), or a response accepted by one instance is
 * accepted again by the next. The suite plays two instances: two registries, each with its own load of
 * the package and its own credential from the author's `sharedStore.serverAuthData()`.
 */
import {
  AscReq,
  IscReq,
  Registry,
  SecBufferType,
  SecPkgCred,
  SecStatus,
  SspiDispatcher,
  isSuccess,
  secBuffer,
  secBufferDesc,
  statusName,
} from '@sspkit/core';
import type { CredHandle, CtxtHandle } from '@sspkit/core';
import { HandshakeDriver } from '../handshake.js';
import type { Harness } from '../harness.js';
import type { CheckContext, ConformanceCheck } from '../types.js';

const S = SecStatus;

/** A second instance of the server: its own registry and dispatcher, a credential on the shared store. */
async function secondInstance(h: Harness, t: CheckContext): Promise<{ sspi: SspiDispatcher; cred: CredHandle }> {
  const shared = h.options.sharedStore!;
  const registry = new Registry();
  await registry.load(shared.instance?.() ?? h.options.module, 'second instance');
  const sspi = new SspiDispatcher(registry, {
    onPackageFault: (f) => h.monitor.fault(`second instance ${f.operation}`, f.error),
  });
  const principal = h.config.serverPrincipal;
  const r = await sspi.acquireCredentialsHandle({
    package: h.serverPackage,
    credentialUse: SecPkgCred.INBOUND,
    authData: shared.serverAuthData(),
    ...(principal !== undefined ? { principal } : {}),
  });
  if (!isSuccess(r.status) || !r.credential)
    t.fail('AcquireCredentialsHandle (second instance)', statusName(r.status), 'SEC_E_OK');
  return { sspi, cred: r.credential };
}

/** Feeds server inputs in order into a fresh context; `authenticated` when a leg ends in SEC_E_OK. */
async function feed(
  sspi: SspiDispatcher,
  cred: CredHandle,
  h: Harness,
  inputs: readonly (Uint8Array | undefined)[],
): Promise<{ authenticated: boolean; refused?: string }> {
  let context: CtxtHandle | undefined;
  try {
    for (const [n, input] of inputs.entries()) {
      const output = secBufferDesc(secBuffer(SecBufferType.TOKEN, new Uint8Array(h.info.maxToken)));
      const r = await sspi.acceptSecurityContext({
        credential: cred,
        ...(context ? { context } : {}),
        ...(input ? { input: secBufferDesc(secBuffer(SecBufferType.TOKEN, Uint8Array.from(input))) } : {}),
        contextReq: h.serverReq,
        output,
      });
      if (r.context && !context) context = r.context;
      if (!isSuccess(r.status)) return { authenticated: false, refused: `call ${n + 1}: ${statusName(r.status)}` };
      let status = r.status;
      if ((status === S.SEC_I_COMPLETE_NEEDED || status === S.SEC_I_COMPLETE_AND_CONTINUE) && context) {
        const completed = await sspi.completeAuthToken(context, output);
        if (completed !== S.SEC_E_OK)
          return { authenticated: false, refused: `CompleteAuthToken after call ${n + 1}: ${statusName(completed)}` };
        status = status === S.SEC_I_COMPLETE_NEEDED ? S.SEC_E_OK : S.SEC_I_CONTINUE_NEEDED;
      }
      if (status === S.SEC_E_OK) return { authenticated: true };
    }
    return { authenticated: false };
  } finally {
    if (context?.isValid) sspi.deleteSecurityContext(context);
  }
}

export const sharedStoreChecks: readonly ConformanceCheck[] = [
  {
    id: 'handshake.replay-shared-store',
    area: 'handshake',
    group: 'AcceptSecurityContext',
    title:
      'the client tokens one server instance accepted, replayed into a fresh server context in another ' +
      'registry sharing the store, do not authenticate',
    required: true,
    gate: { sharedStore: true, slots: ['lsa.acceptLsaModeContext'] },
    async run(h, t) {
      if (h.options.peer !== undefined && h.options.peerRole !== 'client')
        t.skip('the peer plays the server: the shared store is the package under test’s');
      const shared = h.options.sharedStore!;
      // Instance one (the harness's registry) accepts a handshake; record what its server legs were given.
      const d = await h.handshake({ serverCred: await h.credential('server', shared.serverAuthData()) });
      const inputs: (Uint8Array | undefined)[] = [];
      while (d.state === 'running') {
        if (d.turn === 'server') inputs.push(d.pending);
        await d.step();
      }
      if (d.state !== 'done') t.fail('handshake on instance one', d.describe(), 'a completed handshake');
      if (!inputs.some((i) => i !== undefined)) t.skip('the server never receives a token from the client');
      const two = await secondInstance(h, t);
      try {
        // Control: instance two serves a client of its own (so the refusal below is not a broken setup).
        const control = await new HandshakeDriver({
          clientSspi: h.clientSspi,
          serverSspi: two.sspi,
          clientCred: await h.credential('client'),
          serverCred: two.cred,
          targetName: h.config.targetName,
          clientReq: h.clientReq | IscReq.ALLOCATE_MEMORY,
          serverReq: h.serverReq | AscReq.ALLOCATE_MEMORY,
          output: true,
          monitor: h.monitor,
        }).run();
        if (control.client?.isValid) h.clientSspi.deleteSecurityContext(control.client);
        if (control.server?.isValid) two.sspi.deleteSecurityContext(control.server);
        if (control.state !== 'done')
          t.fail('a fresh handshake with instance two', control.describe(), 'a completed handshake');
        const replay = await feed(two.sspi, two.cred, h, inputs);
        const step =
          'AcceptSecurityContext on instance two (another registry, the same store), ' +
          `fed the ${inputs.length} inputs instance one accepted`;
        t.ensure(!replay.authenticated, step, 'the replay authenticated', 'a refusal: the shared store knows them');
        t.note(
          replay.refused ?? 'the replayed sequence ended without authenticating',
          'no authentication from a replay',
        );
      } finally {
        two.sspi.freeCredentialsHandle(two.cred);
      }
    },
  },
];
