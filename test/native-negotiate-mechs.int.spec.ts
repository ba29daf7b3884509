/**
 * Negotiate offers Kerberos only, even where gss-ntlmssp is registered system-wide (/etc/gss/mech.d):
 * this file leaves GSS_MECH_CONFIG unset so the system's mechanism list is loaded, uses the default
 * credential (with which SPNEGO would otherwise offer NTLM), and checks the NegTokenInit's
 * mechTypes (RFC 4178 §4.2.1) for the NTLMSSP OID 1.3.6.1.4.1.311.2.2.10.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AscReq, IscReq, clientContext, createSspi, serverContext } from '@sspkit/core';
import type { Lab } from '@sspkit/krb5-lab';
import { negotiateModule } from '@sspkit/provider-native';
import { startLab, stopLab } from './native/lab.js';

const NTLMSSP_OID = Buffer.from('060a2b06010401823702020a', 'hex');
const KRB5_OID = Buffer.from('06092a864886f712010202', 'hex');

describe('Negotiate mechanism list', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    // Before any GSS call in this process: use the system's mechanism registrations, and give
    // gss-ntlmssp a user so that, were NTLM negotiable, SPNEGO would have NTLM credentials to offer.
    delete process.env['GSS_MECH_CONFIG'];
    const users = join(lab.dir, 'ntlm-users');
    writeFileSync(users, `SSPKIT:${userInfo().username}:not-used\n`, { mode: 0o600 });
    process.env['NTLM_USER_FILE'] = users;
  });
  afterAll(async () => {
    await stopLab(lab);
  });

  it('finds gss-ntlmssp registered, so the check below means something', () => {
    const registered = readdirSync('/etc/gss/mech.d').some((f) =>
      readFileSync(join('/etc/gss/mech.d', f), 'utf8').includes('1.3.6.1.4.1.311.2.2.10'),
    );
    expect(registered, 'install the Debian package gss-ntlmssp').toBe(true);
  });

  it('offers krb5 and never NTLMSSP with the default credential, and still authenticates', async () => {
    const sspi = await createSspi({ modules: [negotiateModule] });
    const client = await clientContext(sspi, {
      package: 'Negotiate-MIT',
      targetName: 'HTTP/localhost',
      requirements: IscReq.MUTUAL_AUTH,
    });
    const server = await serverContext(sspi, {
      package: 'Negotiate-MIT',
      authData: { keytab: lab.serviceKeytab },
      requirements: AscReq.CONNECTION,
    });
    try {
      const first = Buffer.from((await client.step()) ?? []);
      expect(first.includes(KRB5_OID)).toBe(true);
      expect(first.includes(NTLMSSP_OID)).toBe(false);
      let token: Uint8Array | undefined = first;
      while (!(client.complete && server.complete) && token !== undefined) {
        token = await server.step(token);
        if (token !== undefined && !client.complete) token = await client.step(token);
      }
      expect(server.token().user).toBe(lab.userPrincipal);
    } finally {
      client.dispose();
      server.dispose();
    }
  });
});
