/**
 * Extended Protection over https: the server computes tls-server-end-point (RFC 5929 §4.1) of its
 * certificate and hands it to the package as SECBUFFER_CHANNEL_BINDINGS; a client with the right
 * bindings passes, wrong or missing ones fail when required. Clients are dispatcher-level NTLM contexts.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { Agent, createServer as createHttpServer } from 'node:http';
import { Agent as HttpsAgent, createServer } from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import { SecBufferType, clientContext, secBuffer } from '@sspkit/core';
import type { SspiDispatcher } from '@sspkit/core';
import { secChannelBindings, tlsServerEndPoint } from '../src/index.js';
import type { ChannelBindingPolicy } from '../src/index.js';
import { makeCertificate } from './certs.js';
import { USER, headerValues, ntlmScheme, send, startServer, testSspi } from './fixture.js';
import type { TestServer } from './fixture.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const der = (pem: string): Uint8Array => new Uint8Array(new X509Certificate(pem).raw);

/** NTLM over one connection, sending `bindings` (SEC_CHANNEL_BINDINGS) with each leg, or none. */
async function login(
  sspi: SspiDispatcher,
  port: number,
  tls: boolean,
  bindings: Uint8Array | undefined,
): Promise<number> {
  const agent = tls
    ? new HttpsAgent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false })
    : new Agent({ keepAlive: true, maxSockets: 1 });
  const client = await clientContext(sspi, { package: 'NTLM', authData: { ...USER }, targetName: 'HTTP/localhost' });
  const extraInput = bindings === undefined ? [] : [secBuffer(SecBufferType.CHANNEL_BINDINGS, bindings)];
  try {
    const first = await client.step(undefined, { extraInput });
    const r1 = await send(port, {
      tls,
      agent: agent,
      headers: { authorization: `NTLM ${Buffer.from(first!).toString('base64')}` },
    });
    const challenge = headerValues(r1, 'www-authenticate')[0]!;
    const second = await client.step(new Uint8Array(Buffer.from(challenge.slice(5), 'base64')), { extraInput });
    const r2 = await send(port, {
      tls,
      agent: agent,
      headers: { authorization: `NTLM ${Buffer.from(second!).toString('base64')}` },
    });
    return r2.status;
  } finally {
    client.dispose();
    agent.destroy();
  }
}

async function tlsServer(
  policy: ChannelBindingPolicy,
  certificate = makeCertificate('sha256'),
): Promise<{ sspi: SspiDispatcher; right: Uint8Array }> {
  const sspi = await testSspi();
  server = await startServer((h) => createServer({ key: certificate.key, cert: certificate.cert }, h), {
    sspi,
    schemes: [ntlmScheme()],
    channelBindings: policy,
  });
  return { sspi, right: secChannelBindings(tlsServerEndPoint(der(certificate.cert))!) };
}

const wrong = secChannelBindings(new Uint8Array(32).fill(7));

describe('tls-server-end-point (RFC 5929 §4.1)', () => {
  it('hashes with the signature hash, SHA-256 for SHA-1 (and MD5) signatures', () => {
    for (const [digest, keyType, hash] of [
      ['sha256', 'ec', 'sha256'],
      ['sha384', 'ec', 'sha384'],
      ['sha512', 'rsa', 'sha512'],
      ['sha1', 'rsa', 'sha256'],
    ] as const) {
      const c = der(makeCertificate(digest, keyType).cert);
      expect(Buffer.from(tlsServerEndPoint(c)!).toString('hex'), `${digest}/${keyType}`).toBe(
        createHash(hash).update(c).digest('hex'),
      );
    }
  });

  it('claims no binding for a certificate it cannot read', () => {
    expect(tlsServerEndPoint(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]))).toBeUndefined();
  });

  it('SEC_CHANNEL_BINDINGS carries `tls-server-end-point:` + hash as application data at offset 32', () => {
    const b = secChannelBindings(new Uint8Array([1, 2, 3]));
    const v = new DataView(b.buffer);
    expect(v.getUint32(24, true)).toBe(24);
    expect(v.getUint32(28, true)).toBe(32);
    expect(Buffer.from(b.subarray(32)).toString('latin1')).toBe('tls-server-end-point:\x01\x02\x03');
  });
});

describe('Extended Protection over https (NTLM through the dispatcher)', () => {
  it('required: right bindings pass; wrong or none fail with SEC_E_BAD_BINDINGS', async () => {
    const { sspi, right } = await tlsServer('required');
    expect(await login(sspi, server!.port, true, right)).toBe(200);
    expect(await login(sspi, server!.port, true, wrong)).toBe(401);
    expect(server!.failures.at(-1)).toMatchObject({ kind: 'denied', statusName: 'SEC_E_BAD_BINDINGS' });
    expect(await login(sspi, server!.port, true, undefined)).toBe(401);
    expect(server!.failures.at(-1)).toMatchObject({ statusName: 'SEC_E_BAD_BINDINGS' });
  });

  it('when-supported: right bindings pass, wrong ones fail', async () => {
    const { sspi, right } = await tlsServer('when-supported');
    expect(await login(sspi, server!.port, true, right)).toBe(200);
    expect(await login(sspi, server!.port, true, wrong)).toBe(401);
  });

  it('off: bindings are not passed to the package, so wrong ones go unchecked', async () => {
    const { sspi } = await tlsServer('off');
    expect(await login(sspi, server!.port, true, wrong)).toBe(200);
  });

  it('required over plain http: refused (the connection has no bindings)', async () => {
    const sspi = await testSspi();
    server = await startServer(createHttpServer, { sspi, schemes: [ntlmScheme()], channelBindings: 'required' });
    const client = await clientContext(sspi, { package: 'NTLM', authData: { ...USER }, targetName: 'HTTP/localhost' });
    const first = await client.step();
    client.dispose();
    const r = await send(server.port, { headers: { authorization: `NTLM ${Buffer.from(first!).toString('base64')}` } });
    expect(r.status).toBe(401);
    // A fresh challenge, not a handshake continuation.
    expect(headerValues(r, 'www-authenticate')).toEqual(['NTLM']);
    expect(server.failures.at(-1)).toMatchObject({ statusName: 'SEC_E_BAD_BINDINGS' });
  });
});
