/**
 * A received signature is an NTLMSSP_MESSAGE_SIGNATURE, exactly 16 bytes ([MS-NLMP] §2.2.2.9).
 * VerifySignature and DecryptMessage used to check the first 16 bytes of a longer TOKEN buffer and
 * ignore the rest; a TOKEN of another size is now SEC_E_INVALID_TOKEN, refused before the inbound
 * RC4 state moves, so the genuine message still verifies afterwards.
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
import type { SspiDispatcher } from '@sspkit/core';
import { describe, expect, it } from 'vitest';
import { createNtlmModule } from '../src/module.js';
import { accounts } from './fixtures.js';
import { ascii } from './helpers.js';

const alice = { user: 'alice', domain: 'EXAMPLE', password: 'Passw0rd!' };

async function setup(): Promise<{
  sspi: SspiDispatcher;
  client: Awaited<ReturnType<typeof clientContext>>;
  server: Awaited<ReturnType<typeof serverContext>>;
}> {
  const sspi = await createSspi({
    modules: [createNtlmModule({ accounts: accounts(), domain: 'EXAMPLE', computer: 'SRV1', allowReflection: true })],
  });
  const client = await clientContext(sspi, { package: 'NTLM', authData: alice, targetName: 'HTTP/srv1.example' });
  const server = await serverContext(sspi, { package: 'NTLM' });
  await runHandshake(client, server);
  return { sspi, client, server };
}

const padded = (sig: Uint8Array): Uint8Array => Uint8Array.from([...sig, 0]);
const cause = (sspi: SspiDispatcher, h: Parameters<SspiDispatcher['failureCause']>[0]): string =>
  String((sspi.failureCause(h) as Error | undefined)?.message);

describe('NTLM: a signature buffer longer than 16 bytes', () => {
  it('VerifySignature refuses it with SEC_E_INVALID_TOKEN and the genuine signature still verifies', async () => {
    const { sspi, client, server } = await setup();
    const data = ascii('a001 SELECT INBOX');
    const sig = client.sign(data);
    const st = sspi.verifySignature(
      server.handle!,
      secBufferDesc(secBuffer(SecBufferType.DATA, data), secBuffer(SecBufferType.TOKEN, padded(sig))),
      0,
    );
    expect(st).toBe(SecStatus.SEC_E_INVALID_TOKEN);
    expect(cause(sspi, server.handle!)).toMatch(/17 bytes; an NTLM signature is exactly 16/);
    expect(() => server.verify(data, sig)).not.toThrow();
  });

  it('DecryptMessage refuses it with SEC_E_INVALID_TOKEN and the genuine message still opens', async () => {
    const { sspi, client, server } = await setup();
    const sealed = client.encrypt(ascii('secret'));
    const st = sspi.decryptMessage(
      server.handle!,
      secBufferDesc(
        secBuffer(SecBufferType.TOKEN, padded(sealed.token)),
        secBuffer(SecBufferType.DATA, sealed.data.slice()),
      ),
      0,
    );
    expect(st).toBe(SecStatus.SEC_E_INVALID_TOKEN);
    expect(server.decrypt(sealed)).toEqual(ascii('secret'));
  });
});
