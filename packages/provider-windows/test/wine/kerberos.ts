/**
 * In Windows: Kerberos end to end in one process, client and server through the provider, against
 * the KDC named by the environment (KRB5_CONFIG, KRB5CCNAME, KRB5_KTNAME; Wine's Kerberos calls the
 * host's MIT libkrb5). Env: SSPKIT_TARGET (the service, e.g. HTTP/localhost@SSPKIT.LAB), SSPKIT_USER,
 * SSPKIT_DOMAIN, SSPKIT_PASSWORD (for the explicit-identity run).
 */
import {
  SecBufferFlag,
  SecBufferType,
  SecPkgAttr,
  SecPkgCred,
  SecStatus,
  secBuffer,
  secBufferDesc,
  statusName,
} from '@sspkit/core';
import type { CtxtHandle, SspiDispatcher } from '@sspkit/core';
import { liveHandleCount } from '../../src/index.js';
import { handshake } from './handshake.js';
import { main, windowsDispatcher } from './support.js';

const env = (k: string): string => process.env[k] ?? '';
const causeText = (c: unknown): string => (c instanceof Error ? c.message : '');

async function messages(sspi: SspiDispatcher, a: CtxtHandle, b: CtxtHandle, trailer: number): Promise<object> {
  const text = new TextEncoder().encode('a message from sspkit under Windows');
  const sig = secBuffer(SecBufferType.TOKEN, new Uint8Array(trailer));
  const data = secBuffer(SecBufferType.DATA, text.slice());
  const signed = sspi.makeSignature(a, 0, secBufferDesc(data, sig), 0);
  const verified = sspi.verifySignature(b, secBufferDesc(secBuffer(SecBufferType.DATA, text.slice()), sig), 0);
  // A READONLY_WITH_CHECKSUM header beside the signed data: covered by the signature, never written.
  const header = new TextEncoder().encode('header');
  const ro = secBuffer(SecBufferType.DATA, header.slice(), SecBufferFlag.READONLY_WITH_CHECKSUM);
  const sig3 = secBuffer(SecBufferType.TOKEN, new Uint8Array(trailer));
  const roSigned = sspi.makeSignature(a, 0, secBufferDesc(ro, secBuffer(SecBufferType.DATA, text.slice()), sig3), 1);
  const roVerified = sspi.verifySignature(
    b,
    secBufferDesc(
      secBuffer(SecBufferType.DATA, header.slice(), SecBufferFlag.READONLY_WITH_CHECKSUM),
      secBuffer(SecBufferType.DATA, text.slice()),
      sig3,
    ),
    1,
  );
  const plain = text.slice();
  const msg = secBuffer(SecBufferType.DATA, plain);
  const tok = secBuffer(SecBufferType.TOKEN, new Uint8Array(trailer));
  const sealed = sspi.encryptMessage(a, 0, secBufferDesc(tok, msg), 2);
  const ciphertextDiffers = Buffer.compare(Buffer.from(msg.data), Buffer.from(text)) !== 0;
  const inPlace = msg.data.buffer === plain.buffer;
  const opened = sspi.decryptMessage(b, secBufferDesc(tok, msg), 2);
  const roundTrip = Buffer.compare(Buffer.from(msg.data), Buffer.from(text)) === 0;
  // Last: a failed verification may leave the receiver's sequence behind.
  const tampered = text.slice();
  tampered[0] = (tampered[0] ?? 0) ^ 1;
  const sig2 = secBuffer(SecBufferType.TOKEN, new Uint8Array(trailer));
  sspi.makeSignature(a, 0, secBufferDesc(secBuffer(SecBufferType.DATA, text.slice()), sig2), 3);
  const badVerify = sspi.verifySignature(b, secBufferDesc(secBuffer(SecBufferType.DATA, tampered), sig2), 3);
  return {
    trailer,
    signed: statusName(signed),
    signatureBytes: sig.data.length,
    verified: statusName(verified),
    tamperedVerify: statusName(badVerify),
    sealed: statusName(sealed),
    ciphertextDiffers,
    inPlace,
    opened: statusName(opened),
    roundTrip,
    readonlySigned: statusName(roSigned),
    readonlyVerified: statusName(roVerified),
    readonlyUntouched: Buffer.from(ro.data).toString() === 'header',
  };
}

async function run(
  sspi: SspiDispatcher,
  clientAuth: object | undefined,
  allocate: boolean,
  trailerOverride?: number,
): Promise<object> {
  const target = env('SSPKIT_TARGET');
  const c = await sspi.acquireCredentialsHandle({
    package: 'Kerberos',
    credentialUse: SecPkgCred.OUTBOUND,
    ...(clientAuth ? { authData: clientAuth } : {}),
  });
  const s = await sspi.acquireCredentialsHandle({ package: 'Kerberos', credentialUse: SecPkgCred.INBOUND });
  if (!c.credential || !s.credential) return { acquire: [statusName(c.status), statusName(s.status)] };
  const hs = await handshake(sspi, c.credential, s.credential, target, { allocate, maxToken: 12000 });
  const result: Record<string, unknown> = { legs: hs.legs, ok: hs.ok };
  if (hs.ok && hs.client && hs.server) {
    const sizes = sspi.queryContextAttributes(hs.client, SecPkgAttr.SIZES);
    const trailer = trailerOverride ?? sizes.buffer?.securityTrailer ?? 0;
    result['sizes'] = sizes.buffer;
    result['clientToServer'] = await messages(sspi, hs.client, hs.server, trailer);
    result['serverToClient'] = await messages(sspi, hs.server, hs.client, trailer);
    const t = sspi.querySecurityContextToken(hs.server);
    result['token'] = { status: statusName(t.status), token: t.token };
    const names = sspi.queryContextAttributes(hs.server, SecPkgAttr.NAMES);
    result['names'] = { status: statusName(names.status), buffer: names.buffer };
    const flags = sspi.queryContextAttributes(hs.client, SecPkgAttr.FLAGS);
    result['flags'] = { status: statusName(flags.status), buffer: flags.buffer };
  }
  if (hs.client) sspi.deleteSecurityContext(hs.client);
  if (hs.server) sspi.deleteSecurityContext(hs.server);
  sspi.freeCredentialsHandle(c.credential);
  sspi.freeCredentialsHandle(s.credential);
  return result;
}

await main(async () => {
  const { sspi } = await windowsDispatcher();
  const identity = { user: env('SSPKIT_USER'), domain: env('SSPKIT_DOMAIN'), password: env('SSPKIT_PASSWORD') };
  const ccacheAllocate = await run(sspi, undefined, true);
  const ccacheCallerBuffers = await run(sspi, undefined, false);
  // Wine 8 reports a cbSecurityTrailer (49) too small for EncryptMessage; 64 bytes is enough.
  const ccacheTrailer64 = await run(sspi, undefined, false, 64);
  const explicit = await run(sspi, identity, false, 64);
  const wrong = await sspi.acquireCredentialsHandle({
    package: 'Kerberos',
    credentialUse: SecPkgCred.OUTBOUND,
    authData: { ...identity, password: `${identity.password}-wrong` },
  });
  if (wrong.credential) sspi.freeCredentialsHandle(wrong.credential);
  const c = await sspi.acquireCredentialsHandle({ package: 'Kerberos', credentialUse: SecPkgCred.OUTBOUND });
  const unknown = c.credential
    ? await sspi.initializeSecurityContext({
        credential: c.credential,
        targetName: 'HTTP/no-such-service.sspkit.lab',
        contextReq: 0x100,
        output: secBufferDesc(secBuffer(SecBufferType.TOKEN)),
      })
    : undefined;
  if (c.credential) sspi.freeCredentialsHandle(c.credential);
  return {
    ccacheAllocate,
    ccacheCallerBuffers,
    ccacheTrailer64,
    explicit,
    wrongPassword: { status: statusName(wrong.status), cause: causeText(wrong.cause) },
    unknownService: unknown ? { status: statusName(unknown.status), cause: causeText(unknown.cause) } : null,
    ok: SecStatus.SEC_E_OK,
    liveHandles: liveHandleCount(),
    dispatcherHandles: sspi.liveHandleCount,
  };
});
