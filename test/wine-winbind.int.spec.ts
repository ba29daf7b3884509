/**
 * The private winbindd Wine's NTLM acceptor needs (test/wine/winbind.ts), proven on Linux alone:
 * sspkit's TypeScript NTLM client authenticates through `ntlm_auth --helper-protocol=squid-2.5-ntlmssp`,
 * exactly the helper and protocol Wine's AcceptSecurityContext runs. Skipped, with the reason printed,
 * when winbind or libnss-wrapper is missing (never under SSPKIT_STRICT=1: there it fails).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IscReq, clientContext } from '@sspkit/core';
import { NtlmAuthAcceptor } from './wine/ntlm-auth.js';
import { ntlmSspi } from './wine/peers.js';
import { WINBIND_HOST, startWinbind, winbindMissing } from './wine/winbind.js';
import type { Winbind } from './wine/winbind.js';

const missing = process.env['SSPKIT_STRICT'] === '1' ? null : winbindMissing();
if (missing !== null) console.warn(`wine-winbind: ${missing}; skipping`);

describe.skipIf(missing !== null)('a private winbindd for Wine’s NTLM acceptor', () => {
  let winbind: Winbind | undefined;
  beforeAll(async () => {
    winbind = await startWinbind();
  }, 30_000);
  afterAll(async () => {
    await winbind?.stop();
    // Nothing of it left: no winbindd child, not even a <defunct> one (they were orphaned once).
    expect(winbind?.survivors() ?? []).toEqual([]);
  });

  async function logon(env: Readonly<Record<string, string>>, password: string): Promise<string> {
    const sspi = await ntlmSspi([]);
    const client = await clientContext(sspi, {
      package: 'NTLM',
      authData: { user: winbind!.user, domain: WINBIND_HOST, password },
      targetName: 'HOST/localhost',
      requirements: IscReq.CONNECTION | IscReq.INTEGRITY,
    });
    const acceptor = new NtlmAuthAcceptor(env);
    try {
      const challenge = await acceptor.challenge((await client.step())!);
      return await acceptor.authenticate((await client.step(challenge))!);
    } finally {
      acceptor.close();
      client.dispose();
    }
  }

  it('authenticates the account through ntlm_auth, as Wine’s AcceptSecurityContext does', async () => {
    expect(await logon(winbind!.env, winbind!.password)).toBe(`AF ${WINBIND_HOST}\\${winbind!.user}`);
  });

  it('refuses a wrong password', async () => {
    expect(await logon(winbind!.env, 'not the password')).toBe('NA NT_STATUS_LOGON_FAILURE');
  });

  it('without SELFTEST_WINBINDD_SOCKET_DIR ntlm_auth never reaches the private winbindd', async () => {
    const { SELFTEST_WINBINDD_SOCKET_DIR: _dir, ...env } = winbind!.env;
    // BH: "broken helper", ntlm_auth could not ask winbindd (it looked at Samba's built-in socket path).
    expect(await logon(env, winbind!.password)).toMatch(/^BH NT_STATUS_UNSUCCESSFUL/);
  });
});
