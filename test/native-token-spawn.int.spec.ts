/**
 * QuerySecurityContextToken → a child process running as the client's local account. The lab
 * user is `nobody` (uid/gid 65534 on Debian), which gss_localname maps to the local account.
 * As root (CI) the child really runs as that account; otherwise the helper must refuse.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AscReq, IscReq, clientContext, createSspi, isSspiError, runHandshake, serverContext } from '@sspkit/core';
import type { AccessToken } from '@sspkit/core';
import { labCopyCcache } from '@sspkit/krb5-lab';
import type { Lab } from '@sspkit/krb5-lab';
import { canSpawnAsOtherUsers, kerberosModule, spawnAsToken } from '@sspkit/provider-native';
import { startLab, stopLab } from './native/lab.js';

function output(child: ReturnType<typeof spawnAsToken>): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout }));
  });
}

describe('spawnAsToken', () => {
  let lab: Lab;
  let token: AccessToken;
  beforeAll(async () => {
    lab = await startLab({ user: 'nobody' });
    const sspi = await createSspi({ modules: [kerberosModule] });
    const ccache = labCopyCcache(lab, join(lab.dir, 'spawn.ccache'));
    const client = await clientContext(sspi, {
      package: 'Kerberos',
      authData: { ccache },
      targetName: 'HTTP/localhost',
      requirements: IscReq.MUTUAL_AUTH,
    });
    const server = await serverContext(sspi, {
      package: 'Kerberos',
      authData: { keytab: lab.serviceKeytab },
      requirements: AscReq.CONNECTION,
    });
    await runHandshake(client, server);
    token = server.token();
    client.dispose();
    server.dispose();
  });
  afterAll(async () => {
    await stopLab(lab);
  });

  it('maps the principal to the local account with its groups', () => {
    const expectedGroups = execFileSync('id', ['-G', 'nobody']).toString().trim().split(/\s+/).map(Number);
    expect(token.localAccount).toEqual({ name: 'nobody', uid: 65534, gid: 65534, groups: expectedGroups });
  });

  if (canSpawnAsOtherUsers().allowed) {
    it('runs a child as the token user (uid, gid, supplementary groups)', async () => {
      const { code, stdout } = await output(
        spawnAsToken(token, 'sh', ['-c', 'id -u; id -g; id -G; echo $USER; echo $HOME'], {
          stdio: ['ignore', 'pipe', 'inherit'],
        }),
      );
      expect(code).toBe(0);
      const [uid, gid, groups, user, home] = stdout.trim().split('\n');
      expect(Number(uid)).toBe(65534);
      expect(Number(gid)).toBe(65534);
      expect(groups?.split(' ').map(Number).sort()).toEqual([...(token.localAccount?.groups ?? [])].sort());
      expect(user).toBe('nobody');
      // HOME comes from the token (localHome), as the user database has it.
      const passwdHome = execFileSync('getent', ['passwd', 'nobody']).toString().trim().split(':')[5];
      expect(token.attributes?.['localHome']).toBe(passwdHome);
      expect(home).toBe(passwdHome);
    });
  } else {
    it('refuses clearly without the privilege', () => {
      let message = '';
      try {
        spawnAsToken(token, 'id');
      } catch (err) {
        message = isSspiError(err) ? `${err.code}: ${err.message}` : 'other';
      }
      expect(message).toMatch(/SEC_E_NO_IMPERSONATION.*root/);
    });
  }

  it('refuses a token without a local account', () => {
    expect(() => spawnAsToken({ authenticationPackage: 'Kerberos', user: 'x@Y', groups: [] }, 'id')).toThrow(
      /NO_IMPERSONATION|maps to no local account/,
    );
  });
});
