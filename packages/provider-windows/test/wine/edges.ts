/**
 * In Windows: buffer marshalling edge cases and status mapping through the provider, Kerberos against
 * the lab KDC. Every answer is reported raw (status names and buffer shapes); the Linux driver asserts
 * what Windows documents, or the specific Wine 8 behaviour where Wine differs.
 */
import {
  DataRep,
  SecBufferFlag,
  SecBufferType,
  SecPkgCred,
  encodeSecChannelBindings,
  secBuffer,
  secBufferDesc,
  statusName,
} from '@sspkit/core';
import type { CredHandle, SspiDispatcher } from '@sspkit/core';
import { createWindowsPackage, liveHandleCount } from '../../src/index.js';
import { CLIENT_REQ, SERVER_REQ, handshake } from './handshake.js';
import { main, windowsDispatcher } from './support.js';

const target = process.env['SSPKIT_TARGET'] ?? '';

async function creds(sspi: SspiDispatcher): Promise<{ c: CredHandle; s: CredHandle }> {
  const c = await sspi.acquireCredentialsHandle({ package: 'Kerberos', credentialUse: SecPkgCred.OUTBOUND });
  const s = await sspi.acquireCredentialsHandle({ package: 'Kerberos', credentialUse: SecPkgCred.INBOUND });
  if (!c.credential || !s.credential) throw new Error(`ACH: ${statusName(c.status)} ${statusName(s.status)}`);
  return { c: c.credential, s: s.credential };
}

async function firstToken(sspi: SspiDispatcher, c: CredHandle, extra: object = {}): Promise<Uint8Array> {
  const o = secBuffer(SecBufferType.TOKEN, new Uint8Array(12000));
  const r = await sspi.initializeSecurityContext({
    credential: c,
    targetName: target,
    contextReq: CLIENT_REQ,
    output: secBufferDesc(o),
    ...extra,
  });
  if (r.context) sspi.deleteSecurityContext(r.context);
  return Uint8Array.from(o.data);
}

await main(async () => {
  const { sspi } = await windowsDispatcher();
  const { c, s } = await creds(sspi);
  const out: Record<string, unknown> = {};

  // A caller-sized output buffer too small for the AP-REQ.
  const small = secBuffer(SecBufferType.TOKEN, new Uint8Array(16));
  const tooSmall = await sspi.initializeSecurityContext({
    credential: c,
    targetName: target,
    contextReq: CLIENT_REQ,
    output: secBufferDesc(small),
  });
  out['outputTooSmall'] = { status: statusName(tooSmall.status), context: tooSmall.context !== undefined };
  if (tooSmall.context) sspi.deleteSecurityContext(tooSmall.context);

  // A truncated and a corrupted AP-REQ at the acceptor; then one followed by trailing bytes.
  const token = await firstToken(sspi, c);
  const accept = async (input: Uint8Array, extraBuffer = false): Promise<object> => {
    const o = secBuffer(SecBufferType.TOKEN, new Uint8Array(12000));
    const inputs = [secBuffer(SecBufferType.TOKEN, input)];
    if (extraBuffer) inputs.push(secBuffer(SecBufferType.EMPTY));
    const r = await sspi.acceptSecurityContext({
      credential: s,
      contextReq: SERVER_REQ,
      targetDataRep: DataRep.SECURITY_NATIVE_DREP,
      input: secBufferDesc(...inputs),
      output: secBufferDesc(o),
    });
    if (r.context) sspi.deleteSecurityContext(r.context);
    return { status: statusName(r.status), inputTypes: inputs.map((b) => b.type), extraBytes: inputs[1]?.data.length };
  };
  out['truncated'] = await accept(token.subarray(0, token.length - 40));
  const flipped = token.slice();
  flipped[flipped.length - 10] = (flipped[flipped.length - 10] ?? 0) ^ 0xff;
  out['corrupted'] = await accept(flipped);
  out['empty'] = await accept(new Uint8Array(0));

  // Channel bindings: the same on both sides, then different.
  const cb = (app: string): ReturnType<typeof secBuffer> =>
    secBuffer(
      SecBufferType.CHANNEL_BINDINGS,
      encodeSecChannelBindings({ applicationData: new TextEncoder().encode(app) }),
    );
  const bound = async (clientApp: string, serverApp: string): Promise<object> => {
    const o = secBuffer(SecBufferType.TOKEN, new Uint8Array(12000));
    const ci = await sspi.initializeSecurityContext({
      credential: c,
      targetName: target,
      contextReq: CLIENT_REQ,
      input: secBufferDesc(cb(clientApp)),
      output: secBufferDesc(o),
    });
    const so = secBuffer(SecBufferType.TOKEN, new Uint8Array(12000));
    const sr = await sspi.acceptSecurityContext({
      credential: s,
      contextReq: SERVER_REQ,
      input: secBufferDesc(secBuffer(SecBufferType.TOKEN, Uint8Array.from(o.data)), cb(serverApp)),
      output: secBufferDesc(so),
    });
    if (ci.context) sspi.deleteSecurityContext(ci.context);
    if (sr.context) sspi.deleteSecurityContext(sr.context);
    return { client: statusName(ci.status), server: statusName(sr.status) };
  };
  out['bindingsSame'] = await bound('tls-server-end-point:abc', 'tls-server-end-point:abc');
  out['bindingsDiffer'] = await bound('tls-server-end-point:abc', 'tls-server-end-point:xyz');

  // Per-message edge cases on an established pair.
  const hs = await handshake(sspi, c, s, target, { allocate: false, maxToken: 12000 });
  if (!hs.client || !hs.server) throw new Error('handshake failed');
  const text = new TextEncoder().encode('edge cases');
  const sigSmall = secBuffer(SecBufferType.TOKEN, new Uint8Array(4));
  out['signatureTooSmall'] = {
    status: statusName(
      sspi.makeSignature(hs.client, 0, secBufferDesc(secBuffer(SecBufferType.DATA, text.slice()), sigSmall), 0),
    ),
    cause: String((sspi.failureCause(hs.client) as Error | undefined)?.message),
    length: sigSmall.data.length,
  };
  const roToken = secBuffer(SecBufferType.TOKEN, new Uint8Array(64), SecBufferFlag.READONLY);
  out['readonlyToken'] = {
    status: statusName(
      sspi.makeSignature(hs.client, 0, secBufferDesc(secBuffer(SecBufferType.DATA, text.slice()), roToken), 0),
    ),
    untouched: roToken.data.every((b) => b === 0) && roToken.data.length === 64,
  };
  out['noToken'] = statusName(
    sspi.makeSignature(hs.client, 0, secBufferDesc(secBuffer(SecBufferType.DATA, text.slice())), 0),
  );
  const tok = secBuffer(SecBufferType.TOKEN, new Uint8Array(64));
  const msg = secBuffer(SecBufferType.DATA, text.slice());
  sspi.encryptMessage(hs.client, 0, secBufferDesc(tok, msg), 0);
  const sealedCopy = Uint8Array.from(msg.data);
  const cutToken = secBuffer(SecBufferType.TOKEN, tok.data.slice(0, 10));
  const cutMsg = secBuffer(SecBufferType.DATA, sealedCopy.slice());
  out['decryptTruncatedToken'] = statusName(sspi.decryptMessage(hs.server, secBufferDesc(cutToken, cutMsg), 0));
  // STREAM: header, ciphertext and trailer in one buffer, DATA pointing inside it afterwards.
  const tok2 = secBuffer(SecBufferType.TOKEN, new Uint8Array(64));
  const msg2 = secBuffer(SecBufferType.DATA, text.slice());
  sspi.encryptMessage(hs.client, 0, secBufferDesc(tok2, msg2), 1);
  const stream = new Uint8Array(tok2.data.length + msg2.data.length);
  stream.set(tok2.data);
  stream.set(msg2.data, tok2.data.length);
  const st = secBuffer(SecBufferType.STREAM, stream);
  const data = secBuffer(SecBufferType.DATA);
  const streamStatus = sspi.decryptMessage(hs.server, secBufferDesc(st, data), 1);
  out['stream'] = {
    status: statusName(streamStatus),
    data: new TextDecoder().decode(data.data),
    insideStream: data.data.buffer === stream.buffer,
  };

  // A handle the package never issued, straight through its table (the dispatcher would refuse it first).
  const pkg = createWindowsPackage('Kerberos');
  const user = (await pkg.module.spUserModeInitialize!(0x10000)).tables[0]!;
  out['bogusHandle'] = statusName(user.makeSignature!(12345, 0, secBufferDesc(secBuffer(SecBufferType.TOKEN)), 0));

  // ImpersonateSecurityContext / RevertSecurityContext for real, on the package's own handles.
  const lsa = (await pkg.module.spLsaModeInitialize(0x10000)).tables[0]!;
  // The provider's Initialize reads secur32's package list only; it uses neither argument.
  lsa.initialize!(1, { version: 1, machineState: 0, setupMode: 0, domainName: '', dnsDomainName: '' }, {} as never);
  const pc = await lsa.acquireCredentialsHandle!(
    undefined,
    SecPkgCred.OUTBOUND,
    undefined,
    undefined,
    undefined,
    undefined,
  );
  const ps = await lsa.acquireCredentialsHandle!(
    undefined,
    SecPkgCred.INBOUND,
    undefined,
    undefined,
    undefined,
    undefined,
  );
  const o1 = secBuffer(SecBufferType.TOKEN, new Uint8Array(12000));
  const i1 = await lsa.initLsaModeContext!(
    pc.credentialHandle,
    undefined,
    target,
    CLIENT_REQ,
    0x10,
    undefined,
    secBufferDesc(o1),
  );
  const o2 = secBuffer(SecBufferType.TOKEN, new Uint8Array(12000));
  const a1 = await lsa.acceptLsaModeContext!(
    ps.credentialHandle,
    undefined,
    secBufferDesc(secBuffer(SecBufferType.TOKEN, Uint8Array.from(o1.data))),
    SERVER_REQ,
    0x10,
    secBufferDesc(o2),
  );
  const serverHandle = Number(a1.newContextHandle ?? 0);
  const imp = pkg.impersonate(serverHandle);
  out['impersonate'] = {
    handshake: [statusName(i1.status), statusName(a1.status)],
    impersonate: statusName(imp.status),
    revert: statusName(pkg.revert(serverHandle)),
  };
  if (i1.newContextHandle !== undefined) lsa.deleteContext!(i1.newContextHandle);
  if (a1.newContextHandle !== undefined) lsa.deleteContext!(a1.newContextHandle);
  if (pc.credentialHandle !== undefined) lsa.freeCredentialsHandle!(pc.credentialHandle);
  if (ps.credentialHandle !== undefined) lsa.freeCredentialsHandle!(ps.credentialHandle);

  sspi.deleteSecurityContext(hs.client);
  sspi.deleteSecurityContext(hs.server);
  sspi.freeCredentialsHandle(c);
  sspi.freeCredentialsHandle(s);
  out['liveHandles'] = liveHandleCount();
  out['dispatcherHandles'] = sspi.liveHandleCount;
  return out;
});
