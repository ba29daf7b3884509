/**
 * EncryptMessage and DecryptMessage work on the caller's buffers (no copy per message): the sealed
 * bytes are still MS-NLMP's, and a refused message leaves no unauthenticated plaintext behind.
 */
import {
  SecBufferFlag,
  SecBufferType,
  SecStatus,
  clientContext,
  createSspi,
  runHandshake,
  secBuffer,
  secBufferDesc,
  serverContext,
} from '@sspkit/core';
import { describe, expect, it } from 'vitest';
import { MessageProtector } from '../src/crypto/protect.js';
import { createNtlmModule } from '../src/module.js';
import { accounts } from './fixtures.js';
import { ascii, toHex } from './helpers.js';
import { V } from './vectors.js';

const alice = { user: 'alice', domain: 'EXAMPLE', password: 'Passw0rd!' };
const opts = {
  exportedSessionKey: V.randomSessionKey,
  extendedSessionSecurity: true,
  keyExchange: true,
  strength: 128,
} as const;

async function pair() {
  const sspi = await createSspi({
    modules: [createNtlmModule({ accounts: accounts(), domain: 'EXAMPLE', computer: 'SRV1', allowReflection: true })],
  });
  const client = await clientContext(sspi, { package: 'NTLM', authData: alice, targetName: 'HTTP/srv1.example' });
  const server = await serverContext(sspi, { package: 'NTLM' });
  await runHandshake(client, server);
  return { sspi, client: client.handle!, server: server.handle! };
}

describe('sealing in place', () => {
  it('§4.2.4.4 GSS_WrapEx example, sealed in the caller\u2019s buffer and unsealed in place', () => {
    const data = V.plaintext.slice();
    const signature = new MessageProtector({ ...opts, isClient: true }).sealInPlace([{ data, confidential: true }]);
    expect(toHex(data)).toBe('54e50165bf1936dc996020c1811b0f06fb5f');
    expect(toHex(signature)).toBe('010000007fb38ec5c55d497600000000');
    const server = new MessageProtector({ ...opts, isClient: false });
    expect(server.unsealInPlace([{ data, confidential: true }], signature)).toBe(true);
    expect(data).toEqual(V.plaintext);
  });

  it('several DATA buffers at odd offsets, one READONLY: each sealed in place, signed as one message', async () => {
    const { sspi, client, server } = await pair();
    const backing = new Uint8Array(300);
    const a = backing.subarray(1, 1 + 97);
    const b = backing.subarray(101, 101 + 150);
    const ro = ascii('header, signed not sealed');
    a.fill(0x41);
    b.fill(0x42);
    const token = secBuffer(SecBufferType.TOKEN, new Uint8Array(16));
    const desc = secBufferDesc(
      token,
      secBuffer(SecBufferType.DATA, a),
      secBuffer(SecBufferType.DATA, ro, SecBufferFlag.READONLY_WITH_CHECKSUM),
      secBuffer(SecBufferType.DATA, b),
    );
    expect(sspi.encryptMessage(client, 0, desc, 0)).toBe(SecStatus.SEC_E_OK);
    expect(a.some((x) => x !== 0x41)).toBe(true);
    expect(b.some((x) => x !== 0x42)).toBe(true);
    expect(ro).toEqual(ascii('header, signed not sealed'));
    expect(sspi.decryptMessage(server, desc, 0)).toBe(SecStatus.SEC_E_OK);
    expect(a.every((x) => x === 0x41) && b.every((x) => x === 0x42)).toBe(true);
  });

  it('a refused DecryptMessage hands back no plaintext (the attacker\u2019s flipped bit decrypted)', async () => {
    const { sspi, client, server } = await pair();
    const plain = ascii('transfer 100 to alice');
    const data = plain.slice();
    const token = secBuffer(SecBufferType.TOKEN, new Uint8Array(16));
    expect(sspi.encryptMessage(client, 0, secBufferDesc(token, secBuffer(SecBufferType.DATA, data)), 0)).toBe(
      SecStatus.SEC_E_OK,
    );
    // RC4 is a stream cipher: flipping a ciphertext bit flips the same plaintext bit.
    data[9] = data[9]! ^ ('1'.charCodeAt(0) ^ '9'.charCodeAt(0));
    const desc = secBufferDesc(secBuffer(SecBufferType.TOKEN, token.data), secBuffer(SecBufferType.DATA, data));
    expect(sspi.decryptMessage(server, desc, 0)).toBe(SecStatus.SEC_E_MESSAGE_ALTERED);
    expect(Buffer.from(data).toString('latin1')).not.toContain('transfer');
    expect(data.every((x) => x === 0)).toBe(true);
  });
});
