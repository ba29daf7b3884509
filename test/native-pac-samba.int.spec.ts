/**
 * A real PAC: a Samba Active Directory DC (started here, on loopback) issues the tickets, MIT's
 * GSSAPI verifies them in our Kerberos and Negotiate packages, and QuerySecurityContextToken must
 * name the user's SID and group SIDs exactly as the directory reports them (samba-tool).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AscReq, IscReq, clientContext, createSspi, runHandshake, serverContext } from '@sspkit/core';
import type { SspiDispatcher } from '@sspkit/core';
import { kerberosModule, negotiateModule } from '@sspkit/provider-native';
import { sambaDown, sambaMissing, sambaUp } from './native/samba-ad.js';
import type { SambaDc } from './native/samba-ad.js';

const missing = sambaMissing();

describe.skipIf(missing !== null)(
  `PAC logon information from a Samba AD DC${missing !== null ? ` (${missing})` : ''}`,
  () => {
    let dc: SambaDc | undefined;
    let sspi: SspiDispatcher;
    beforeAll(async () => {
      dc = await sambaUp();
      // This worker's krb5 library talks to the DC's realm only (set before the first native call).
      for (const [key, value] of Object.entries(dc.env)) process.env[key] = value;
      process.once('exit', () => {
        if (dc !== undefined && dc.pid !== 0) process.kill(dc.pid, 'SIGTERM');
      });
      sspi = await createSspi({ modules: [kerberosModule, negotiateModule] });
    }, 90_000);
    afterAll(async () => {
      await sambaDown(dc);
    });

    for (const pkg of ['Kerberos', 'Negotiate-MIT'] as const) {
      it(`${pkg}: the token carries the user's SID and every group SID the DC granted`, async () => {
        if (dc === undefined) throw new Error('no DC');
        const client = await clientContext(sspi, {
          package: pkg,
          authData: { user: dc.user.name, domain: dc.realm, password: dc.user.password },
          targetName: 'HTTP/localhost',
          requirements: IscReq.MUTUAL_AUTH | IscReq.CONFIDENTIALITY,
        });
        const server = await serverContext(sspi, {
          package: pkg,
          authData: { keytab: dc.keytab },
          requirements: AscReq.CONNECTION,
        });
        try {
          await runHandshake(client, server);
          const token = server.token();
          expect(token.user).toBe(`${dc.user.name}@${dc.realm}`);
          const a = token.attributes ?? {};
          expect(a['pac']).toBe(true);
          expect(a['authorizationData']).toContain('urn:mspac:logon-info');
          expect(a['pacLogonInfoError']).toBeUndefined();
          expect(a['userSid']).toBe(dc.user.sid);
          expect(a['pacEffectiveName']).toBe(dc.user.name);
          expect(a['pacLogonDomain']).toBe(dc.domain);
          const groups = a['pacGroupSids'];
          // Domain Users (RID 513, the primary group) and the group the user was added to.
          expect(groups).toEqual(expect.arrayContaining([`${dc.domainSid}-513`, dc.groupSid]));
          expect(token.groups).toEqual(expect.arrayContaining([`${dc.domainSid}-513`, dc.groupSid]));
          // Nothing granted beyond what the directory knows: domain groups of this domain, or
          // well-known SIDs the DC adds as ExtraSids (S-1-18-*: authentication assertion).
          for (const sid of groups as readonly string[])
            expect(sid.startsWith(`${dc.domainSid}-`) || sid.startsWith('S-1-18-')).toBe(true);
        } finally {
          client.dispose();
          server.dispose();
        }
      });
    }
  },
);
