import { describe, expect, it } from 'vitest';
import {
  clientContext,
  isSspiError,
  SecBufferType,
  SecPkgAttrExtra,
  SecStatus,
  secBuffer,
  secBufferDesc,
  serverContext,
} from '@sspkit/core';
import type { AuthData, SspiDispatcher } from '@sspkit/core';
import { decodeNegotiationToken, encodeNegTokenInit, encodeNegTokenResp, MechOid, NegState } from '../src/index.js';
import { NTLM_USER } from './ntlm-pair.js';
import { negotiateSspi } from './setup.js';

const BOTH: AuthData = { packages: { Kerberos: {}, NTLM: NTLM_USER } };

async function pair(sspi: SspiDispatcher, config: { client?: AuthData; server?: AuthData } = {}) {
  const c = await clientContext(sspi, {
    package: 'Negotiate',
    authData: config.client ?? BOTH,
    targetName: 'HTTP/sspkit.test',
  });
  const s = await serverContext(sspi, { package: 'Negotiate', authData: config.server ?? BOTH });
  return { c, s };
}

async function statusOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return SecStatus.SEC_E_OK;
  } catch (e) {
    if (isSspiError(e)) return e.status;
    throw e;
  }
}

describe('mechListMIC protects the mechanism list (RFC 4178 §5)', () => {
  it('a list stripped of Kerberos in transit is refused by the acceptor (SEC_E_DOWNGRADE_DETECTED)', async () => {
    const sspi = await negotiateSspi();
    const { c, s } = await pair(sspi);
    const first = await c.step();
    // The attacker drops Kerberos (and its optimistic token) so that both ends settle on NTLM.
    const tampered = encodeNegTokenInit({ mechTypes: [MechOid.ntlm] });
    const second = await s.step(tampered);
    expect(decodeNegotiationToken(second ?? new Uint8Array(0))).toMatchObject({
      ok: true,
      value: { supportedMech: MechOid.ntlm },
    });
    expect(first).toBeDefined();
    const negotiate = await c.step(second);
    const challenge = await s.step(negotiate);
    const authenticate = await c.step(challenge);
    expect(await statusOf(s.step(authenticate))).toBe(SecStatus.SEC_E_DOWNGRADE_DETECTED);
  });

  it('an acceptor answer stripped of its mechListMIC is refused by the initiator', async () => {
    const sspi = await negotiateSspi();
    const { c, s } = await pair(sspi, { client: { packageList: 'ntlm', packages: { NTLM: NTLM_USER } } });
    let token = await c.step();
    token = await s.step(token);
    token = await c.step(token);
    const final = await s.step(token);
    const r = decodeNegotiationToken(final ?? new Uint8Array(0));
    if (!r.ok || r.value.kind !== 'resp') throw new Error('no final NegTokenResp');
    expect(r.value.mechListMIC).toBeDefined();
    const stripped = encodeNegTokenResp({ negState: NegState.acceptCompleted });
    expect(await statusOf(c.step(stripped))).toBe(SecStatus.SEC_E_DOWNGRADE_DETECTED);
  });

  it('a forged mechListMIC is refused', async () => {
    const sspi = await negotiateSspi();
    const { c, s } = await pair(sspi, { client: { packageList: 'ntlm', packages: { NTLM: NTLM_USER } } });
    let token = await c.step();
    token = await s.step(token);
    token = await c.step(token);
    const r = decodeNegotiationToken(token ?? new Uint8Array(0));
    if (!r.ok || r.value.kind !== 'resp' || !r.value.mechListMIC || !r.value.responseToken) throw new Error('no MIC');
    const mic = r.value.mechListMIC.slice();
    mic[6] = (mic[6] ?? 0) ^ 1;
    const forged = encodeNegTokenResp({ responseToken: r.value.responseToken, mechListMIC: mic });
    expect(await statusOf(s.step(forged))).toBe(SecStatus.SEC_E_DOWNGRADE_DETECTED);
  });
});

describe('tokens without the SPNEGO wrapper, as Windows takes them', () => {
  it('a raw NTLMSSP client authenticates to the Negotiate acceptor, answered unwrapped', async () => {
    const sspi = await negotiateSspi();
    const c = await clientContext(sspi, { package: 'NTLM', authData: NTLM_USER, targetName: 'HTTP/sspkit.test' });
    const s = await serverContext(sspi, { package: 'Negotiate', authData: BOTH });
    const negotiate = await c.step();
    const challenge = await s.step(negotiate);
    expect(new TextDecoder().decode(challenge?.subarray(0, 7))).toBe('NTLMSSP');
    await s.step(await c.step(challenge));
    expect(c.complete && s.complete).toBe(true);
    expect(s.token()).toMatchObject({ authenticationPackage: 'NTLM', user: 'alice' });
    expect(s.query(SecPkgAttrExtra.NEGOTIATION_PACKAGE)).toMatchObject({ packageInfo: { name: 'NTLM' } });
    const msg = new TextEncoder().encode('raw');
    expect(c.decrypt(s.encrypt(msg))).toEqual(msg);
  });
});

describe('server-initiated negotiation (NegTokenInit2, [MS-SPNG] §3.2.5.2)', () => {
  it('the acceptor speaks first with negHints; the initiator answers with what both have', async () => {
    const sspi = await negotiateSspi({ config: { serverInitiated: true } });
    const server = await sspi.acquireCredentialsHandle({
      package: 'Negotiate',
      credentialUse: 1,
      authData: { packageList: 'ntlm' },
    });
    if (!server.credential) throw new Error('no server credential');
    const out = secBufferDesc(secBuffer(SecBufferType.TOKEN));
    const r = await sspi.acceptSecurityContext({ credential: server.credential, contextReq: 0x100, output: out });
    expect(r.status).toBe(SecStatus.SEC_I_CONTINUE_NEEDED);
    const init2 = decodeNegotiationToken(out.buffers[0]?.data ?? new Uint8Array(0));
    expect(init2).toMatchObject({
      ok: true,
      value: {
        kind: 'init2',
        mechTypes: [MechOid.ntlm],
        negHints: { hintName: 'not_defined_in_RFC4178@please_ignore' },
      },
    });
    const c = await clientContext(sspi, { package: 'Negotiate', authData: BOTH, targetName: 'HTTP/sspkit.test' });
    const first = await c.step(out.buffers[0]?.data);
    expect(decodeNegotiationToken(first ?? new Uint8Array(0))).toMatchObject({
      ok: true,
      value: { mechTypes: [MechOid.ntlm] },
    });
  });

  it('without the option, an empty first leg is the caller’s mistake (SEC_E_INVALID_TOKEN)', async () => {
    const sspi = await negotiateSspi();
    const server = await sspi.acquireCredentialsHandle({ package: 'Negotiate', credentialUse: 1, authData: BOTH });
    if (!server.credential) throw new Error('no server credential');
    const out = secBufferDesc(secBuffer(SecBufferType.TOKEN));
    const r = await sspi.acceptSecurityContext({ credential: server.credential, contextReq: 0x100, output: out });
    expect(r.status).toBe(SecStatus.SEC_E_INVALID_TOKEN);
  });
});

describe('bad input gets a status, never a crash', () => {
  it('mutated first tokens', async () => {
    const sspi = await negotiateSspi();
    const { c } = await pair(sspi);
    const first = (await c.step()) ?? new Uint8Array(0);
    const cred = await sspi.acquireCredentialsHandle({ package: 'Negotiate', credentialUse: 1, authData: BOTH });
    if (!cred.credential) throw new Error('no credential');
    let seed = 7;
    const rnd = (n: number): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    for (let i = 0; i < 200; i++) {
      const t = first.slice(0, rnd(2) === 0 ? first.length : rnd(first.length));
      for (let k = 0; k < 2; k++) if (t.length > 0) t[rnd(Math.min(t.length, 80))] = rnd(256);
      const out = secBufferDesc(secBuffer(SecBufferType.TOKEN));
      const r = await sspi.acceptSecurityContext({
        credential: cred.credential,
        input: secBufferDesc(secBuffer(SecBufferType.TOKEN, t)),
        contextReq: 0x100,
        output: out,
      });
      expect(typeof r.status).toBe('number');
      if (r.context) sspi.deleteSecurityContext(r.context);
    }
  });
});
