/** QuerySecurityContextToken and CompleteAuthToken when it was not asked for. */
import { SecBufferType, secBuffer, secBufferDesc } from '@sspkit/core';
import { shown } from '../outcome.js';
import type { ConformanceCheck } from '../types.js';
import { S, exchange, protection } from './common.js';

export const tokenChecks: readonly ConformanceCheck[] = [
  {
    id: 'token.server',
    area: 'token',
    group: 'QuerySecurityContextToken',
    title: 'the server side returns a token naming the authenticated client and the package',
    required: true,
    gate: { slots: ['user.getContextToken'] },
    async run(h, t) {
      const user = await h.expectedUser();
      const p = await h.pair();
      const r = h.serverSspi.querySecurityContextToken(p.server);
      t.status('QuerySecurityContextToken on the server', r.status, [S.SEC_E_OK]);
      t.ensure(
        typeof r.token?.user === 'string' && r.token.user.toLowerCase().includes(user.toLowerCase()),
        'token user',
        shown(r.token?.user),
        `"${user}"`,
      );
      t.ensure(
        r.token?.authenticationPackage?.toLowerCase() === h.serverPackage.toLowerCase(),
        'token authenticationPackage',
        shown(r.token?.authenticationPackage),
        h.serverPackage,
      );
    },
  },
  {
    id: 'token.refusals',
    area: 'token',
    group: 'QuerySecurityContextToken',
    title: 'a client-side or unfinished context has no token (SEC_E_NO_IMPERSONATION or SEC_E_INVALID_HANDLE)',
    required: true,
    gate: { slots: ['user.getContextToken'] },
    async run(h, t) {
      const accepted = t.accepted('status', [S.SEC_E_NO_IMPERSONATION, S.SEC_E_INVALID_HANDLE]);
      const p = await h.pair();
      t.status(
        'QuerySecurityContextToken on the client',
        h.clientSspi.querySecurityContextToken(p.client).status,
        accepted,
      );
      const d = await h.handshake();
      await d.step();
      await d.step();
      if (d.server && !d.serverDone)
        t.status(
          "QuerySecurityContextToken after the server's first leg",
          h.serverSspi.querySecurityContextToken(d.server).status,
          accepted,
        );
    },
  },
  {
    id: 'token.complete-not-needed',
    area: 'token',
    group: 'CompleteAuthToken',
    title: 'CompleteAuthToken when no completion was asked for returns a status and leaves the context working',
    required: true,
    gate: {},
    async run(h, t) {
      const d = await (await h.handshake({ deferComplete: true })).run();
      if (d.state !== 'done') t.fail('handshake', d.describe(), 'a completed handshake');
      const asked = (st: number): boolean => st === S.SEC_I_COMPLETE_NEEDED || st === S.SEC_I_COMPLETE_AND_CONTINUE;
      if (d.legs.some((l) => l.side === 'client' && asked(l.status)))
        t.skip('the client context asked for CompleteAuthToken');
      const defaults = h.probe.slots.has('user.completeAuthToken')
        ? [S.SEC_E_OK, S.SEC_E_OUT_OF_SEQUENCE, S.SEC_E_INVALID_TOKEN]
        : [S.SEC_E_UNSUPPORTED_FUNCTION];
      for (const c of d.pendingCompletions) await h.sspiOf(c.context).completeAuthToken(c.context, c.token);
      const st = await h.clientSspi.completeAuthToken(d.client!, secBufferDesc(secBuffer(SecBufferType.TOKEN)));
      t.status('CompleteAuthToken on an established client context', st, t.accepted('status', defaults));
      const mode = protection(h);
      if (mode) exchange(h, t, mode, d.client!, d.server!, 'after CompleteAuthToken');
    },
  },
];
