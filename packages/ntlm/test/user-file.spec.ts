/** NTLM_USER_FILE lines in Samba's smbpasswd format (issue 16 §6): read properly, or refused. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecPkgCred, SecStatus, createSspi } from '@sspkit/core';
import { describe, expect, it } from 'vitest';
import { ntHash } from '../src/crypto/owf.js';
import { createNtlmModule } from '../src/module.js';
import { readUserFile } from '../src/user-file.js';
import { client, handshake, server } from './fixtures.js';
import { toHex } from './helpers.js';

// 8846F7EAEE8FB117AD06BDD830B7586C is NTOWFv1("password").
const SMBPASSWD =
  'user:1000:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:8846F7EAEE8FB117AD06BDD830B7586C:[U          ]:LCT-00000000:';

describe('smbpasswd lines in NTLM_USER_FILE', () => {
  it('are read with the NT hash as the key and no domain, and that account logs on', async () => {
    const store = readUserFile(`${SMBPASSWD}\nEXAMPLE:alice:Passw0rd!\n`);
    expect(toHex(store.lookup('USER', 'ANY')?.ntHash ?? new Uint8Array())).toBe(toHex(ntHash('password')));
    // Not misread as DOMAIN:user:password (domain "user", account "1000").
    expect(store.lookup('1000', 'user')).toBeUndefined();
    const r = await handshake(
      client({ credentials: { user: 'user', domain: 'SRV1', password: 'password' } }),
      server({ accounts: store }),
    );
    expect(r.done.status).toBe('SEC_E_OK');
    expect(store.lookup('alice', 'EXAMPLE')).toBeDefined();
  });

  it('leave out disabled accounts and accounts without an NT hash', () => {
    const store = readUserFile(
      'dis:1001:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:8846F7EAEE8FB117AD06BDD830B7586C:[DU         ]:LCT-00000000:\n' +
        'nohash:1002:NO PASSWORDXXXXXXXXXXXXXXXXXXXXX:NO PASSWORDXXXXXXXXXXXXXXXXXXXXX:[NU         ]:LCT-00000000:\n',
    );
    expect(store.lookup('dis', '')).toBeUndefined();
    expect(store.lookup('nohash', '')).toBeUndefined();
  });

  it('a malformed smbpasswd line is refused with an error naming the line, not read as a strange account', () => {
    expect(() =>
      readUserFile(
        `EXAMPLE:alice:pw\nuser:1000:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:8846F7EA:[U          ]:LCT-00000000:\n`,
      ),
    ).toThrow(/line 2: .*"user"/);
    expect(() =>
      readUserFile('user:1000:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:8846F7EAEE8FB117AD06BDD830B7586C:U:LCT-00000000:'),
    ).toThrow(/line 1/);
    expect(() => readUserFile('just-a-word')).toThrow(/line 1/);
  });

  it('through the package: a malformed NTLM_USER_FILE gives SEC_E_NO_CREDENTIALS with the reason as cause', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sspkit-ntlm-'));
    const file = join(dir, 'users');
    writeFileSync(file, 'user:1000:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:not-a-hash:[U          ]:LCT-00000000:\n');
    const saved = process.env['NTLM_USER_FILE'];
    process.env['NTLM_USER_FILE'] = file;
    try {
      const sspi = await createSspi({ modules: [createNtlmModule({})] });
      const r = await sspi.acquireCredentialsHandle({ package: 'NTLM', credentialUse: SecPkgCred.INBOUND });
      expect(r.status).toBe(SecStatus.SEC_E_NO_CREDENTIALS);
      expect(String((r.cause as Error).message)).toMatch(/line 1/);
    } finally {
      if (saved === undefined) delete process.env['NTLM_USER_FILE'];
      else process.env['NTLM_USER_FILE'] = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
