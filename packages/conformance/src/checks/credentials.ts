/** Credentials: AcquireCredentialsHandle for each use, unknown packages, wrong passwords, double free. */
import { SecPkgCred, SecPkgFlag, statusName } from '@sspkit/core';
import { shown } from '../outcome.js';
import type { CheckContext, ConformanceCheck } from '../types.js';
import type { Harness } from '../harness.js';
import { S } from './common.js';

async function acquireAndFree(
  h: Harness,
  t: CheckContext,
  side: 'client' | 'server',
  use: number,
  name: string,
): Promise<void> {
  const r = await h.acquire(side, use);
  t.status(`AcquireCredentialsHandle(${name})`, r.status, [S.SEC_E_OK]);
  t.ensure(r.credential !== undefined, `AcquireCredentialsHandle(${name}) handle`, 'none', 'a credential handle');
  const sspi = side === 'client' ? h.clientSspi : h.serverSspi;
  t.status(`FreeCredentialsHandle(${name})`, sspi.freeCredentialsHandle(r.credential!), [S.SEC_E_OK]);
}

export const credentialChecks: readonly ConformanceCheck[] = [
  {
    id: 'credentials.outbound',
    area: 'credentials',
    group: 'AcquireCredentialsHandle',
    title: 'SECPKG_CRED_OUTBOUND credentials are acquired and freed',
    required: true,
    gate: { slots: ['lsa.acquireCredentialsHandle'] },
    run: (h, t) => acquireAndFree(h, t, 'client', SecPkgCred.OUTBOUND, 'SECPKG_CRED_OUTBOUND'),
  },
  {
    id: 'credentials.inbound',
    area: 'credentials',
    group: 'AcquireCredentialsHandle',
    title: 'SECPKG_CRED_INBOUND credentials are acquired and freed',
    required: true,
    gate: { slots: ['lsa.acquireCredentialsHandle'], withoutCapabilities: SecPkgFlag.CLIENT_ONLY },
    run: (h, t) => acquireAndFree(h, t, 'server', SecPkgCred.INBOUND, 'SECPKG_CRED_INBOUND'),
  },
  {
    id: 'credentials.both',
    area: 'credentials',
    group: 'AcquireCredentialsHandle',
    title: 'SECPKG_CRED_BOTH credentials are acquired and freed',
    required: true,
    gate: { slots: ['lsa.acquireCredentialsHandle'], withoutCapabilities: SecPkgFlag.CLIENT_ONLY },
    run: (h, t) => acquireAndFree(h, t, 'client', SecPkgCred.BOTH, 'SECPKG_CRED_BOTH'),
  },
  {
    id: 'credentials.unknown-package',
    area: 'credentials',
    group: 'AcquireCredentialsHandle',
    title: 'an unknown package name gives SEC_E_SECPKG_NOT_FOUND',
    required: true,
    gate: {},
    async run(h, t) {
      const name = `${h.info.name}-sspkit-no-such-package`;
      const r = await h.clientSspi.acquireCredentialsHandle({ package: name, credentialUse: SecPkgCred.OUTBOUND });
      t.status('AcquireCredentialsHandle(unknown package)', r.status, [S.SEC_E_SECPKG_NOT_FOUND]);
      t.status('QuerySecurityPackageInfo(unknown package)', h.clientSspi.querySecurityPackageInfo(name).status, [
        S.SEC_E_SECPKG_NOT_FOUND,
      ]);
    },
  },
  {
    id: 'credentials.wrong-password',
    area: 'credentials',
    group: 'AcquireCredentialsHandle',
    title:
      'a wrong password is refused with SEC_E_LOGON_DENIED (or the documented status), and the server never accepts',
    required: true,
    gate: {},
    async run(h, t) {
      const wrong = h.config.wrongAuthData;
      if (!wrong) t.skip('no client password configured (client.authData.password or client.wrongAuthData)');
      const accepted = t.accepted('status', [S.SEC_E_LOGON_DENIED]);
      const r = await h.acquire('client', SecPkgCred.OUTBOUND, wrong);
      if (r.status !== S.SEC_E_OK) {
        t.status('AcquireCredentialsHandle with a wrong password', r.status, accepted);
        return;
      }
      const d = await (await h.handshake({ clientCred: r.credential! })).run();
      t.ensure(
        d.state !== 'done',
        'handshake with a wrong password',
        d.describe(),
        `a failure with ${accepted.map(statusName).join(' | ')}`,
      );
      t.ensure(
        d.state !== 'illegal',
        'handshake with a wrong password',
        `${d.describe()}: ${d.illegal ?? ''}`,
        'a legal status sequence',
      );
      // The client may finish its side first (it cannot know), but the server must never accept.
      t.ensure(
        !d.legs.some((l) => l.side === 'server' && l.status === S.SEC_E_OK),
        'handshake with a wrong password',
        d.describe(),
        'the server never returns SEC_E_OK',
      );
      t.status(`handshake with a wrong password (${d.failed!.side} leg ${d.failed!.leg})`, d.failed!.status, accepted);
    },
  },
  {
    id: 'credentials.free-twice',
    area: 'credentials',
    group: 'FreeCredentialsHandle',
    title: 'freeing a credential twice gives SEC_E_INVALID_HANDLE the second time',
    required: true,
    gate: { slots: ['lsa.freeCredentialsHandle'] },
    async run(h, t) {
      const cred = await h.credential('client');
      t.status('FreeCredentialsHandle (first)', h.clientSspi.freeCredentialsHandle(cred), [S.SEC_E_OK]);
      t.status('FreeCredentialsHandle (second)', h.clientSspi.freeCredentialsHandle(cred), [S.SEC_E_INVALID_HANDLE]);
    },
  },
  {
    id: 'credentials.names',
    area: 'credentials',
    group: 'QueryCredentialsAttributes',
    title: 'SECPKG_CRED_ATTR_NAMES of an outbound credential names the configured user',
    required: false,
    gate: { slots: ['lsa.queryCredentialsAttributes'] },
    async run(h, t) {
      const user = h.config.expectedUser;
      if (!user) return t.skip('the client user is unknown: give client.authData.user or client.expectedUser');
      const cred = await h.credential('client');
      const r = h.clientSspi.queryCredentialsAttributes(cred, 1);
      if (r.status === S.SEC_E_UNSUPPORTED_FUNCTION) t.skip('the package does not support SECPKG_CRED_ATTR_NAMES');
      t.status('QueryCredentialsAttributes(NAMES)', r.status, [S.SEC_E_OK]);
      const name = (r.buffer as { userName?: unknown } | undefined)?.userName;
      t.ensure(
        typeof name === 'string' && name.toLowerCase().includes(user.toLowerCase()),
        'SECPKG_CRED_ATTR_NAMES userName',
        shown(name),
        `a name containing "${user}"`,
      );
    },
  },
];
