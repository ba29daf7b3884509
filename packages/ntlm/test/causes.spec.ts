/**
 * Every failure says why (issue 16 §5): each handshake failure class carries a `cause` through the
 * dispatcher, each failed per-message call fills `failureCause`, and no cause holds a secret.
 */
import {
  AscReq,
  IscReq,
  SecBufferType,
  SecPkgCred,
  SecStatus,
  createSspi,
  secBuffer,
  secBufferDesc,
} from '@sspkit/core';
import type { CtxtHandle, SspiDispatcher } from '@sspkit/core';
import { describe, expect, it } from 'vitest';
import { ntHash } from '../src/crypto/owf.js';
import { MIC_OFFSET } from '../src/messages/authenticate.js';
import { createNtlmModule } from '../src/module.js';
import type { NtlmPackageConfig } from '../src/package-state.js';
import { encodeSecChannelBindings } from '../src/messages/sec-channel-bindings.js';
import { accounts } from './fixtures.js';
import { ascii, toHex } from './helpers.js';

const PASSWORD = 'Passw0rd!';
const alice = { user: 'alice', domain: 'EXAMPLE', password: PASSWORD, workstation: 'WS1' };
const tok = (data?: Uint8Array) => secBuffer(SecBufferType.TOKEN, data);
const cb = (s: string) =>
  secBuffer(SecBufferType.CHANNEL_BINDINGS, encodeSecChannelBindings({ applicationData: ascii(s) }));

/** A cause is an Error with a message that names no secret: not the password, not its NT hash. */
function expectCause(cause: unknown): void {
  expect(cause).toBeInstanceOf(Error);
  const text = String((cause as Error).message);
  expect(text.length).toBeGreaterThan(0);
  for (const secret of [PASSWORD, toHex(ntHash(PASSWORD)), toHex(ntHash(PASSWORD)).toUpperCase()])
    expect(text).not.toContain(secret);
}

async function sspiWith(config: NtlmPackageConfig = {}): Promise<SspiDispatcher> {
  const module = createNtlmModule({
    accounts: accounts(),
    domain: 'EXAMPLE',
    computer: 'SRV1',
    allowReflection: true,
    ...config,
  });
  return createSspi({ modules: [module] });
}

interface Legs {
  readonly sspi: SspiDispatcher;
  readonly client: CtxtHandle;
  readonly server: CtxtHandle;
  readonly authenticate: Uint8Array;
}

/** NEGOTIATE → CHALLENGE → AUTHENTICATE, leaving the last Accept to the caller. */
async function threeLegs(sspi: SspiDispatcher, authData: object = alice): Promise<Legs> {
  const cc = await sspi.acquireCredentialsHandle({ package: 'NTLM', credentialUse: SecPkgCred.OUTBOUND, authData });
  const o1 = tok();
  const c = await sspi.initializeSecurityContext({
    credential: cc.credential!,
    contextReq: IscReq.ALLOCATE_MEMORY,
    output: secBufferDesc(o1),
  });
  const sc = await sspi.acquireCredentialsHandle({ package: 'NTLM', credentialUse: SecPkgCred.INBOUND });
  const o2 = tok();
  const s = await sspi.acceptSecurityContext({
    credential: sc.credential!,
    contextReq: AscReq.ALLOCATE_MEMORY,
    input: secBufferDesc(tok(o1.data)),
    output: secBufferDesc(o2),
  });
  const o3 = tok();
  await sspi.initializeSecurityContext({
    context: c.context!,
    contextReq: IscReq.ALLOCATE_MEMORY,
    input: secBufferDesc(tok(o2.data)),
    output: secBufferDesc(o3),
  });
  return { sspi, client: c.context!, server: s.context!, authenticate: o3.data };
}

const accept = (l: Legs, auth: Uint8Array, ...extra: ReturnType<typeof cb>[]) =>
  l.sspi.acceptSecurityContext({
    context: l.server,
    contextReq: AscReq.ALLOCATE_MEMORY,
    input: secBufferDesc(tok(auth), ...extra),
    output: secBufferDesc(tok()),
  });

describe('every NTLM handshake failure carries a cause', () => {
  it('SEC_E_LOGON_DENIED (wrong password)', async () => {
    const l = await threeLegs(await sspiWith(), { ...alice, password: 'wrong' });
    const r = await accept(l, l.authenticate);
    expect(r.status).toBe(SecStatus.SEC_E_LOGON_DENIED);
    expectCause(r.cause);
  });

  it('SEC_E_INVALID_TOKEN (garbage NEGOTIATE and truncated AUTHENTICATE)', async () => {
    const sspi = await sspiWith();
    const sc = await sspi.acquireCredentialsHandle({ package: 'NTLM', credentialUse: SecPkgCred.INBOUND });
    const r1 = await sspi.acceptSecurityContext({
      credential: sc.credential!,
      contextReq: 0,
      input: secBufferDesc(tok(ascii('junk'))),
      output: secBufferDesc(tok()),
    });
    expect(r1.status).toBe(SecStatus.SEC_E_INVALID_TOKEN);
    expectCause(r1.cause);
    const l = await threeLegs(sspi);
    const r2 = await accept(l, l.authenticate.subarray(0, 20));
    expect(r2.status).toBe(SecStatus.SEC_E_INVALID_TOKEN);
    expectCause(r2.cause);
  });

  it('SEC_E_MESSAGE_ALTERED (a changed MIC)', async () => {
    const l = await threeLegs(await sspiWith());
    const auth = l.authenticate.slice();
    auth[MIC_OFFSET] = (auth[MIC_OFFSET] ?? 0) ^ 1;
    const r = await accept(l, auth);
    expect(r.status).toBe(SecStatus.SEC_E_MESSAGE_ALTERED);
    expectCause(r.cause);
  });

  it('SEC_E_BAD_BINDINGS (server bindings the client did not send; a malformed bindings buffer)', async () => {
    const l = await threeLegs(await sspiWith());
    const r = await accept(l, l.authenticate, cb('tls-server-end-point:abc'));
    expect(r.status).toBe(SecStatus.SEC_E_BAD_BINDINGS);
    expectCause(r.cause);
    const l2 = await threeLegs(await sspiWith());
    const bad = await accept(l2, l2.authenticate, secBuffer(SecBufferType.CHANNEL_BINDINGS, new Uint8Array(3)));
    expect(bad.status).toBe(SecStatus.SEC_E_BAD_BINDINGS);
    expectCause(bad.cause);
  });

  it('SEC_E_OUT_OF_SEQUENCE and SEC_E_NO_CREDENTIALS', async () => {
    const l = await threeLegs(await sspiWith());
    expect((await accept(l, l.authenticate)).status).toBe(SecStatus.SEC_E_OK);
    const again = await accept(l, l.authenticate);
    expect(again.status).toBe(SecStatus.SEC_E_OUT_OF_SEQUENCE);
    expectCause(again.cause);
    const cred = await l.sspi.acquireCredentialsHandle({
      package: 'NTLM',
      credentialUse: SecPkgCred.OUTBOUND,
      authData: { user: 'x' },
    });
    expect(cred.status).toBe(SecStatus.SEC_E_NO_CREDENTIALS);
    expectCause(cred.cause);
  });
});

describe('every failed NTLM per-message call fills failureCause', () => {
  it('SEC_E_INVALID_TOKEN, SEC_E_MESSAGE_ALTERED, SEC_E_CONTEXT_EXPIRED, SEC_E_QOP_NOT_SUPPORTED', async () => {
    const l = await threeLegs(await sspiWith());
    expect((await accept(l, l.authenticate)).status).toBe(SecStatus.SEC_E_OK);
    const { sspi, client, server } = l;
    const sig = tok(new Uint8Array(16));
    expect(sspi.makeSignature(client, 0, secBufferDesc(secBuffer(SecBufferType.DATA, ascii('m1')), sig), 0)).toBe(
      SecStatus.SEC_E_OK,
    );
    expect(sspi.failureCause(client)).toBeUndefined();
    expect(sspi.decryptMessage(server, secBufferDesc(secBuffer(SecBufferType.DATA, ascii('x'))), 0)).toBe(
      SecStatus.SEC_E_INVALID_TOKEN,
    );
    expectCause(sspi.failureCause(server));
    const forged = secBufferDesc(secBuffer(SecBufferType.DATA, ascii('m2')), tok(sig.data));
    expect(sspi.verifySignature(server, forged, 0)).toBe(SecStatus.SEC_E_MESSAGE_ALTERED);
    expectCause(sspi.failureCause(server));
    expect(sspi.verifySignature(server, forged, 0)).toBe(SecStatus.SEC_E_CONTEXT_EXPIRED);
    expectCause(sspi.failureCause(server));
    expect(
      sspi.makeSignature(
        client,
        7,
        secBufferDesc(secBuffer(SecBufferType.DATA, ascii('m')), tok(new Uint8Array(16))),
        0,
      ),
    ).toBe(SecStatus.SEC_E_QOP_NOT_SUPPORTED);
    expectCause(sspi.failureCause(client));
  });
});
