/**
 * What the acceptor lets log on and what the token then says: blank passwords (Windows'
 * LimitBlankPasswordUse) and the domain the token carries (the account's, never the client's).
 */
import { clientContext, createSspi, isSspiError, runHandshake, serverContext } from '@sspkit/core';
import { describe, expect, it } from 'vitest';
import { InMemoryAccountStore } from '../src/accounts.js';
import { createNtlmModule } from '../src/module.js';
import { client, handshake, server } from './fixtures.js';

const withBlank = () =>
  new InMemoryAccountStore().addPassword('EXAMPLE', 'alice', 'Passw0rd!').addPassword('EXAMPLE', 'guest', '');

describe('blank passwords (LimitBlankPasswordUse)', () => {
  it('an account with an empty password does not log on over the network by default', async () => {
    const r = await handshake(
      client({ credentials: { user: 'guest', domain: 'EXAMPLE', password: '' } }),
      server({ accounts: withBlank() }),
    );
    expect(r.done.status).toBe('SEC_E_LOGON_DENIED');
    expect(r.done.reason).toMatch(/blank password/);
  });

  it('logs on when the acceptor is configured to allow it (allowBlankPasswords)', async () => {
    const r = await handshake(
      client({ credentials: { user: 'guest', domain: 'EXAMPLE', password: '' } }),
      server({ accounts: withBlank(), allowBlankPasswords: true }),
    );
    expect(r.done.status).toBe('SEC_E_OK');
  });

  it('through the package: refused by default, createNtlmModule({ allowBlankPasswords: true }) opts in', async () => {
    for (const allow of [false, true]) {
      const module = createNtlmModule({
        accounts: withBlank(),
        domain: 'EXAMPLE',
        computer: 'SRV1',
        allowBlankPasswords: allow,
        allowReflection: true,
      });
      const sspi = await createSspi({ modules: [module] });
      const c = await clientContext(sspi, {
        package: 'NTLM',
        authData: { user: 'guest', domain: 'EXAMPLE', password: '' },
      });
      const s = await serverContext(sspi, { package: 'NTLM' });
      const outcome = await runHandshake(c, s).then(
        () => 'SEC_E_OK',
        (e: unknown) => (isSspiError(e) ? e.code : String(e)),
      );
      expect(outcome).toBe(allow ? 'SEC_E_OK' : 'SEC_E_LOGON_DENIED');
    }
  });
});

describe('the domain in the token', () => {
  it("is the account's own domain as stored, not the client's spelling", async () => {
    const s = server();
    const r = await handshake(client({ credentials: { user: 'ALICE', domain: 'example', password: 'Passw0rd!' } }), s);
    expect(r.done.status).toBe('SEC_E_OK');
    expect(s.session?.names).toMatchObject({ user: 'alice', domain: 'EXAMPLE' });
  });

  it("for a domainless account is the server's own name, whatever domain the client sent", async () => {
    for (const domain of ['ＥＸＡＭＰＬＥ', 'EXAMPLE\0', 'EVIL', '']) {
      const s = server();
      const r = await handshake(client({ credentials: { user: 'bob', domain, password: 'hunter2' } }), s);
      expect(r.done.status).toBe('SEC_E_OK');
      expect(s.session?.names).toMatchObject({ user: 'bob', domain: 'SRV1' });
    }
  });
});
