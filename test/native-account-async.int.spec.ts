/**
 * Where the user database may wait on a directory server (nsswitch.conf names sss, ldap, winbind…)
 * the token's local-account lookup must not run on the main thread: it runs on worker threads when
 * the server context completes, and QuerySecurityContextToken then only reads the result. The lab
 * user is `nobody`, which gss_localname maps to a local account.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AscReq, IscReq, SecPkgCred, clientContext, createSspi, serverContext } from '@sspkit/core';
import type { AccessToken, SspiDispatcher } from '@sspkit/core';
import { labCopyCcache } from '@sspkit/krb5-lab';
import type { Lab } from '@sspkit/krb5-lab';
import { kerberosModule } from '@sspkit/provider-native';
import {
  accountLookupIsLocal,
  lookupLocalAccount,
  lookupLocalAccountAsync,
  sharedGate,
  useNssConfigForTests,
} from '../packages/provider-native/src/ffi/index.js';
import { startLab, stopLab } from './native/lab.js';

describe('local account lookup off the main thread', () => {
  let lab: Lab;
  let sspi: SspiDispatcher;
  beforeAll(async () => {
    lab = await startLab({ user: 'nobody' });
    sspi = await createSspi({ modules: [kerberosModule] });
  });
  afterEach(() => useNssConfigForTests(undefined));
  afterAll(async () => {
    await stopLab(lab);
  });

  it('the reentrant lookup on worker threads agrees with the synchronous one', async () => {
    for (const user of ['root', 'nobody'])
      expect(await lookupLocalAccountAsync(user)).toEqual(lookupLocalAccount(user));
    expect(await lookupLocalAccountAsync('no-such-user-sspkit')).toBeNull();
  });

  /** One handshake; returns the token and the async calls made by the server's final leg. */
  async function handshake(tag: string): Promise<{ token: AccessToken; serverAsync: number }> {
    const ccache = labCopyCcache(lab, join(lab.dir, `${tag}.ccache`));
    const credential = (
      await sspi.acquireCredentialsHandle({
        package: 'Kerberos',
        credentialUse: SecPkgCred.OUTBOUND,
        authData: { ccache },
      })
    ).credential!;
    const client = await clientContext(sspi, {
      package: 'Kerberos',
      credential,
      targetName: 'HTTP/localhost',
      requirements: IscReq.MUTUAL_AUTH,
    });
    const server = await serverContext(sspi, {
      package: 'Kerberos',
      authData: { keytab: lab.serviceKeytab },
      requirements: AscReq.CONNECTION,
    });
    try {
      const apReq = await client.step();
      const before = sharedGate().stats().started;
      const apRep = await server.step(apReq);
      const serverAsync = sharedGate().stats().started - before;
      await client.step(apRep);
      return { token: server.token(), serverAsync };
    } finally {
      client.dispose();
      server.dispose();
      sspi.freeCredentialsHandle(credential);
    }
  }

  it('resolves the account on worker threads when NSS may use the network, and the token agrees', async () => {
    const conf = join(lab.dir, 'nsswitch-sss.conf');
    writeFileSync(conf, 'passwd: files sss\ngroup: files sss\n');
    useNssConfigForTests(conf);
    expect(accountLookupIsLocal()).toBe(false);
    const { token, serverAsync } = await handshake('nss-remote');
    const groups = execFileSync('id', ['-G', 'nobody']).toString().trim().split(/\s+/).map(Number);
    expect(token.localAccount).toEqual({ name: 'nobody', uid: 65534, gid: 65534, groups });
    // gss_localname, getpwnam_r, getgrouplist, one getgrgid_r per group.
    expect(serverAsync).toBe(3 + groups.length);
  });

  it('stays synchronous (no async call) when NSS reads local files only', async () => {
    const conf = join(lab.dir, 'nsswitch-files.conf');
    writeFileSync(conf, 'passwd: files systemd\ngroup: files systemd\n');
    useNssConfigForTests(conf);
    expect(accountLookupIsLocal()).toBe(true);
    const { token, serverAsync } = await handshake('nss-local');
    expect(token.localAccount?.name).toBe('nobody');
    expect(serverAsync).toBe(0);
  });
});
