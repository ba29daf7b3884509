/**
 * A refused inbound message moves the receiver's RC4 keystream and sequence number on (MS-NLMP
 * §3.4.3: one stream per direction for the session); the context then says it is unusable for
 * inbound messages instead of failing every later genuine one as "altered".
 */
import {
  SecBufferType,
  SecStatus,
  clientContext,
  createSspi,
  runHandshake,
  secBuffer,
  secBufferDesc,
  serverContext,
} from '@sspkit/core';
import type { ClientContext, ServerContext, SspiDispatcher } from '@sspkit/core';
import { describe, expect, it } from 'vitest';
import { createNtlmModule } from '../src/module.js';
import { accounts } from './fixtures.js';
import { ascii } from './helpers.js';

const alice = { user: 'alice', domain: 'EXAMPLE', password: 'Passw0rd!' };

async function pair(sspi: SspiDispatcher): Promise<{ client: ClientContext; server: ServerContext }> {
  const client = await clientContext(sspi, { package: 'NTLM', authData: alice, targetName: 'HTTP/srv1.example' });
  const server = await serverContext(sspi, { package: 'NTLM' });
  await runHandshake(client, server);
  return { client, server };
}

/** DecryptMessage on the server's raw handle; returns the status. */
function decrypt(sspi: SspiDispatcher, server: ServerContext, sealed: { token: Uint8Array; data: Uint8Array }): number {
  const desc = secBufferDesc(
    secBuffer(SecBufferType.TOKEN, sealed.token.slice()),
    secBuffer(SecBufferType.DATA, sealed.data.slice()),
  );
  return sspi.decryptMessage(server.handle!, desc, 0);
}

describe('a sealed message refused on receipt', () => {
  it('a foreign message injected before a genuine one: the genuine one gets SEC_E_CONTEXT_EXPIRED, saying why', async () => {
    const sspi = await createSspi({
      modules: [createNtlmModule({ accounts: accounts(), domain: 'EXAMPLE', computer: 'SRV1', allowReflection: true })],
    });
    const victim = await pair(sspi);
    const other = await pair(sspi);
    const genuine = victim.client.encrypt(ascii('genuine'));
    const foreign = other.client.encrypt(ascii('foreign'));

    expect(decrypt(sspi, victim.server, foreign)).toBe(SecStatus.SEC_E_MESSAGE_ALTERED);
    expect(decrypt(sspi, victim.server, genuine)).toBe(SecStatus.SEC_E_CONTEXT_EXPIRED);
    expect(String((sspi.failureCause(victim.server.handle!) as Error).message)).toMatch(/desynchronised/);
    // Every later inbound call says the same, without touching the keystream again.
    expect(decrypt(sspi, victim.server, victim.client.encrypt(ascii('later')))).toBe(SecStatus.SEC_E_CONTEXT_EXPIRED);

    // The other direction has its own keystream and still works.
    expect(victim.client.decrypt(victim.server.encrypt(ascii('reply')))).toEqual(ascii('reply'));
  });
});
