/**
 * Negotiate with the real packages in one process: MIT Kerberos through the native binding and the
 * TypeScript NTLM, against a throwaway KDC. Fallback for real (no ticket; KDC stopped), a tampered
 * mechanism list, and raw Kerberos / raw NTLMSSP tokens to the Negotiate acceptor.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IscReq,
  SecPkgAttrExtra,
  SecStatus,
  clientContext,
  createSspi,
  isSspiError,
  serverContext,
} from '@sspkit/core';
import type { AuthData, ClientContext, ServerContext, SspiDispatcher } from '@sspkit/core';
import type { Lab } from '@sspkit/krb5-lab';
import { labCopyCcache, labStartKdc, labStopKdc } from '@sspkit/krb5-lab';
import { createNegotiateModule, decodeNegotiationToken, encodeNegTokenInit, MechOid } from '@sspkit/negotiate';
import { isAvailable, kerberosModule } from '@sspkit/provider-native';
import { ntlmForInProcessPair, NTLM_USER } from '../packages/negotiate/test/ntlm-pair.js';
import { startLab, stopLab } from './native/lab.js';

const ready = isAvailable().available;
if (!ready) console.warn('negotiate-fallback: libgssapi_krb5 or koffi missing; skipping');

const REQ = IscReq.MUTUAL_AUTH | IscReq.CONFIDENTIALITY | IscReq.INTEGRITY;

async function drive(c: ClientContext, s: ServerContext): Promise<Uint8Array[]> {
  const tokens: Uint8Array[] = [];
  let token = await c.step();
  if (token) tokens.push(token);
  for (let turn = 0; turn < 8 && !(c.complete && s.complete); turn++) {
    const side = turn % 2 === 0 ? s : c;
    if (side.complete) break;
    token = await side.step(token);
    if (token) tokens.push(token);
  }
  expect(c.complete && s.complete).toBe(true);
  return tokens;
}

function roundTrip(c: ClientContext, s: ServerContext): void {
  const msg = new TextEncoder().encode('after the handshake');
  s.verify(msg, c.sign(msg));
  c.verify(msg, s.sign(msg));
  expect(Buffer.from(s.decrypt(c.encrypt(msg)))).toEqual(Buffer.from(msg));
  expect(Buffer.from(c.decrypt(s.encrypt(msg)))).toEqual(Buffer.from(msg));
}

describe.skipIf(!ready)('Negotiate over native Kerberos and TypeScript NTLM', () => {
  let lab: Lab;
  let sspi: SspiDispatcher;
  let clientAuth: AuthData;
  let serverAuth: AuthData;
  let tgtOnly: string;
  beforeAll(async () => {
    lab = await startLab();
    // A ccache that will never hold a service ticket: with the KDC down, Kerberos cannot start from it.
    tgtOnly = labCopyCcache(lab, join(lab.dir, 'tgt-only.ccache'));
    sspi = await createSspi({ modules: [createNegotiateModule(), kerberosModule, ntlmForInProcessPair()] });
    clientAuth = { packages: { Kerberos: { ccache: lab.ccache }, NTLM: NTLM_USER } };
    serverAuth = { packages: { Kerberos: { keytab: lab.serviceKeytab }, NTLM: {} } };
  });
  afterAll(async () => {
    await stopLab(lab);
  });

  const pair = async (client: AuthData = clientAuth) => ({
    c: await clientContext(sspi, {
      package: 'Negotiate',
      authData: client,
      targetName: 'HTTP/localhost',
      requirements: REQ,
    }),
    s: await serverContext(sspi, { package: 'Negotiate', authData: serverAuth }),
  });

  it('chooses Kerberos with the KDC up: one round trip, the token names the realm user', async () => {
    const { c, s } = await pair();
    const tokens = await drive(c, s);
    expect(tokens.length).toBe(2);
    expect(s.query(SecPkgAttrExtra.NEGOTIATION_PACKAGE)).toMatchObject({ packageInfo: { name: 'Kerberos' } });
    expect(s.token()).toMatchObject({ authenticationPackage: 'Kerberos', user: lab.userPrincipal });
    roundTrip(c, s);
  });

  it('falls back to NTLM when the user has no Kerberos credential; both MICs verify', async () => {
    const { c, s } = await pair({
      packages: { Kerberos: { ccache: join(lab.dir, 'no-such-ccache') }, NTLM: NTLM_USER },
    });
    const tokens = await drive(c, s);
    expect(decodeNegotiationToken(tokens[0]!)).toMatchObject({ ok: true, value: { mechTypes: [MechOid.ntlm] } });
    const last = decodeNegotiationToken(tokens.at(-1)!);
    expect(last.ok && last.value.kind === 'resp' && last.value.mechListMIC !== undefined).toBe(true);
    expect(s.token()).toMatchObject({ authenticationPackage: 'NTLM', user: NTLM_USER.user });
    expect(c.query(SecPkgAttrExtra.NEGOTIATION_PACKAGE)).toMatchObject({ packageInfo: { name: 'NTLM' } });
    roundTrip(c, s);
  });

  it('a mechanism list stripped of Kerberos in transit is refused (SEC_E_DOWNGRADE_DETECTED)', async () => {
    const { c, s } = await pair();
    await c.step();
    let token = await s.step(encodeNegTokenInit({ mechTypes: [MechOid.ntlm] }));
    token = await c.step(token);
    token = await s.step(token);
    token = await c.step(token);
    const refused = await s.step(token).then(
      () => SecStatus.SEC_E_OK,
      (e: unknown) => (isSspiError(e) ? e.status : -1),
    );
    expect(refused).toBe(SecStatus.SEC_E_DOWNGRADE_DETECTED);
  });

  it('takes a raw Kerberos token (no SPNEGO wrapper) and answers unwrapped', async () => {
    const c = await clientContext(sspi, {
      package: 'Kerberos',
      authData: { ccache: lab.ccache },
      targetName: 'HTTP/localhost',
      requirements: REQ,
    });
    const s = await serverContext(sspi, { package: 'Negotiate', authData: serverAuth });
    const tokens = await drive(c, s);
    expect(tokens[0]![0]).toBe(0x60);
    expect(decodeNegotiationToken(tokens[0]!).ok).toBe(false); // not SPNEGO: thisMech is krb5
    expect(s.token()).toMatchObject({ authenticationPackage: 'Kerberos', user: lab.userPrincipal });
    roundTrip(c, s);
  });

  it('takes a raw NTLMSSP token and answers unwrapped', async () => {
    const c = await clientContext(sspi, { package: 'NTLM', authData: NTLM_USER, targetName: 'HTTP/localhost' });
    const s = await serverContext(sspi, { package: 'Negotiate', authData: serverAuth });
    await drive(c, s);
    expect(s.token()).toMatchObject({ authenticationPackage: 'NTLM', user: NTLM_USER.user });
    roundTrip(c, s);
  });

  it('falls back to NTLM with the KDC stopped (the ticket for the service cannot be fetched)', async () => {
    await labStopKdc(lab);
    try {
      const { c, s } = await pair({ packages: { Kerberos: { ccache: tgtOnly }, NTLM: NTLM_USER } });
      const tokens = await drive(c, s);
      expect(decodeNegotiationToken(tokens[0]!)).toMatchObject({ ok: true, value: { mechTypes: [MechOid.ntlm] } });
      expect(s.token()).toMatchObject({ authenticationPackage: 'NTLM', user: NTLM_USER.user });
      roundTrip(c, s);
    } finally {
      await labStartKdc(lab, false);
    }
  });
});
