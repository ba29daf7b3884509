/**
 * A Kerberos principal named like a local system account must not become that account: MIT's
 * default auth_to_local rule maps `root@REALM` to the local `root` (uid 0) and `daemon@REALM` to
 * uid 1. The token names no local account then (and says why), and spawnAsToken refuses such an
 * account, unless the server opts in (allowSystemAccounts).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AscReq, IscReq, clientContext, createSspi, isSspiError, runHandshake, serverContext } from '@sspkit/core';
import type { AccessToken } from '@sspkit/core';
import { labAddUser } from '@sspkit/krb5-lab';
import type { Lab } from '@sspkit/krb5-lab';
import { canSpawnAsOtherUsers, kerberosModule, negotiateModule, spawnAsToken } from '@sspkit/provider-native';
import { startLab, stopLab } from './native/lab.js';

let lab: Lab;
const ccaches: Record<string, string> = {};

beforeAll(async () => {
  lab = await startLab();
  for (const name of ['root', 'daemon']) {
    ccaches[name] = join(lab.dir, `${name}.ccache`);
    await labAddUser(lab, name, ccaches[name]);
  }
});
afterAll(async () => {
  await stopLab(lab);
});

async function tokenOf(
  pkg: 'Kerberos' | 'Negotiate-MIT',
  user: string,
  allowSystemAccounts?: boolean,
): Promise<AccessToken> {
  const sspi = await createSspi({ modules: [kerberosModule, negotiateModule] });
  const ccache = ccaches[user] ?? '';
  const client = await clientContext(sspi, {
    package: pkg,
    authData: { ccache },
    targetName: 'HTTP/localhost',
    requirements: IscReq.MUTUAL_AUTH,
  });
  const authData = { keytab: lab.serviceKeytab, ...(allowSystemAccounts !== undefined ? { allowSystemAccounts } : {}) };
  const server = await serverContext(sspi, { package: pkg, authData, requirements: AscReq.CONNECTION });
  try {
    await runHandshake(client, server);
    return server.token();
  } finally {
    client.dispose();
    server.dispose();
  }
}

function refusal(run: () => unknown): string {
  try {
    run();
    return 'started';
  } catch (err) {
    return isSspiError(err) ? `${err.code}: ${err.message}` : String(err);
  }
}

describe('a principal named root or daemon', () => {
  for (const pkg of ['Kerberos', 'Negotiate-MIT'] as const) {
    for (const [user, uid] of [
      ['root', 0],
      ['daemon', 1],
    ] as const) {
      it(`${pkg}: ${user}@REALM maps to no local account by default, and the token says why`, async () => {
        const token = await tokenOf(pkg, user);
        expect(token.user).toBe(`${user}@${lab.realm}`);
        expect(token.localAccount).toBeUndefined();
        expect(token.attributes?.['localAccountRefused']).toBe('system-account');
        expect(token.attributes?.['localName']).toBeUndefined();
        expect(token.attributes?.['localHome']).toBeUndefined();
        // No group of the system account leaks into the token either.
        expect(token.groups).not.toContain(user);
        expect(refusal(() => spawnAsToken(token, 'id'))).toMatch(/SEC_E_NO_IMPERSONATION.*system-account/);
      });

      it(`${pkg}: ${user}@REALM maps to uid ${uid} when the acceptor opts in`, async () => {
        const token = await tokenOf(pkg, user, true);
        expect(token.localAccount).toMatchObject({ name: user, uid });
        expect(token.attributes?.['localAccountRefused']).toBeUndefined();
      });
    }
  }

  it('spawnAsToken refuses a token naming uid 0 or 1 (built elsewhere), unless allowed', async () => {
    const forged = (uid: number): AccessToken => ({
      authenticationPackage: 'Kerberos',
      user: 'x@Y',
      groups: [],
      localAccount: { name: uid === 0 ? 'root' : 'daemon', uid, gid: uid, groups: [uid] },
    });
    for (const uid of [0, 1])
      expect(refusal(() => spawnAsToken(forged(uid), 'id'))).toMatch(/SEC_E_NO_IMPERSONATION.*system account/);
    if (!canSpawnAsOtherUsers().allowed) return;
    const child = spawnAsToken(forged(1), 'id', ['-u'], {
      allowSystemAccounts: true,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code).toBe(0);
    expect(out.trim()).toBe('1');
  });
});
