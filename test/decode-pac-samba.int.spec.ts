/**
 * `sspkit decode --keytab` on a ticket a Samba AD DC issued: the PAC's logon information (decoded
 * through the native package's KERB_VALIDATION_INFO decoder) names the user and its SID as the
 * directory reports them (samba-tool).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IscReq, clientContext, createSspi } from '@sspkit/core';
import { decodeCommand } from '@sspkit/cli';
import { kerberosModule } from '@sspkit/provider-native';
import { sambaDown, sambaMissing, sambaUp } from './native/samba-ad.js';
import type { SambaDc } from './native/samba-ad.js';

const missing = sambaMissing();

describe.skipIf(missing !== null)(`decode a Samba AD DC's ticket${missing !== null ? ` (${missing})` : ''}`, () => {
  let dc: SambaDc | undefined;
  beforeAll(async () => {
    dc = await sambaUp();
    for (const [key, value] of Object.entries(dc.env)) process.env[key] = value;
    process.once('exit', () => {
      if (dc !== undefined && dc.pid !== 0) process.kill(dc.pid, 'SIGTERM');
    });
  }, 90_000);
  afterAll(async () => {
    await sambaDown(dc);
  });

  it('prints the PAC summary: effective name, user SID, groups', async () => {
    if (dc === undefined) throw new Error('no DC');
    const sspi = await createSspi({ modules: [kerberosModule] });
    const client = await clientContext(sspi, {
      package: 'Kerberos',
      authData: { user: dc.user.name, domain: dc.realm, password: dc.user.password },
      targetName: 'HTTP/localhost',
      requirements: IscReq.MUTUAL_AUTH,
    });
    try {
      const apReq = await client.step();
      const out: string[] = [];
      expect(decodeCommand(Buffer.from(apReq!).toString('base64'), { keytab: dc.keytab }, (s) => out.push(s))).toBe(0);
      const text = out.join('\n');
      expect(text).toContain(`EffectiveName: ${dc.user.name}`);
      expect(text).toContain(`UserSid: ${dc.user.sid}`);
      expect(text).toContain(dc.groupSid);
      expect(text).toMatch(/logon information \(KERB_VALIDATION_INFO\)/);
      expect(text).not.toContain(dc.user.password);
    } finally {
      client.dispose();
    }
  });
});
