import { describe, expect, it } from 'vitest';
import { clientContext, SecPkgAttr, SecPkgAttrExtra, SecStatus, serverContext } from '@sspkit/core';
import type { AuthData, ClientContext, ServerContext, SspiDispatcher } from '@sspkit/core';
import { decodeNegotiationToken, MechOid, NegState } from '../src/index.js';
import { NTLM_USER } from './ntlm-pair.js';
import { fakeKerberos, negotiateSspi } from './setup.js';

const BOTH: AuthData = { packages: { Kerberos: {}, NTLM: NTLM_USER } };

async function pair(sspi: SspiDispatcher, client: AuthData = BOTH, server: AuthData = BOTH) {
  const c = await clientContext(sspi, { package: 'Negotiate', authData: client, targetName: 'HTTP/sspkit.test' });
  const s = await serverContext(sspi, { package: 'Negotiate', authData: server });
  return { c, s };
}

/** Runs the handshake to the end, returning every token in order (client first). */
async function drive(c: ClientContext, s: ServerContext): Promise<(Uint8Array | undefined)[]> {
  const tokens: (Uint8Array | undefined)[] = [];
  let token = await c.step();
  tokens.push(token);
  for (let turn = 0; turn < 8 && !(c.complete && s.complete); turn++) {
    const side = turn % 2 === 0 ? s : c;
    if (side.complete) break;
    token = await side.step(token);
    tokens.push(token);
  }
  expect(c.complete && s.complete).toBe(true);
  return tokens;
}

function decode(token: Uint8Array | undefined) {
  const r = decodeNegotiationToken(token ?? new Uint8Array(0));
  if (!r.ok) throw new Error(r.error.detail);
  return r.value;
}

describe('Negotiate over the registered packages', () => {
  it('chooses Kerberos when both sides have it: optimistic token, no MIC, per-message through Kerberos', async () => {
    const sspi = await negotiateSspi();
    const { c, s } = await pair(sspi);
    const first = await c.step();
    const init = decode(first);
    expect(init).toMatchObject({ kind: 'init', mechTypes: [MechOid.kerberos, MechOid.ntlm] });
    if (init.kind === 'resp') return;
    expect(init.mechToken).toBeDefined();
    const answer = await s.step(first);
    expect(decode(answer)).toMatchObject({
      kind: 'resp',
      negState: NegState.acceptCompleted,
      supportedMech: MechOid.kerberos,
    });
    if (!c.complete) await c.step(answer);
    expect(c.complete && s.complete).toBe(true);
    expect(s.query(SecPkgAttrExtra.NEGOTIATION_PACKAGE)).toMatchObject({ packageInfo: { name: 'Kerberos' } });
    expect(c.query(SecPkgAttr.NEGOTIATION_INFO)).toMatchObject({
      packageInfo: { name: 'Kerberos' },
      negotiationState: 0,
    });
    expect(c.query(SecPkgAttr.PACKAGE_INFO)).toMatchObject({ packageInfo: { name: 'Negotiate' } });
    const msg = new TextEncoder().encode('hello');
    s.verify(msg, c.sign(msg));
    expect(s.token().authenticationPackage).toBe('Kerberos');
  });

  it('falls back to NTLM when the client has no Kerberos credential, and both MICs verify', async () => {
    const sspi = await negotiateSspi();
    const { c, s } = await pair(sspi, { packageList: '!kerberos', packages: { NTLM: NTLM_USER } });
    const tokens = await drive(c, s);
    expect(tokens.filter((t) => t !== undefined && t.length > 0).length).toBe(4); // init, challenge, auth+MIC, MIC
    expect(decode(tokens[0])).toMatchObject({ mechTypes: [MechOid.ntlm] });
    const last = decode(tokens[3]);
    expect(last).toMatchObject({ kind: 'resp', negState: NegState.acceptCompleted });
    expect(last.kind === 'resp' && last.mechListMIC).toBeTruthy();
    expect(s.query(SecPkgAttrExtra.NEGOTIATION_PACKAGE)).toMatchObject({ packageInfo: { name: 'NTLM' } });
    expect(s.token()).toMatchObject({ authenticationPackage: 'NTLM', user: 'alice' });
    const msg = new TextEncoder().encode('after the MIC');
    expect(c.decrypt(s.encrypt(msg))).toEqual(msg);
    expect(s.decrypt(c.encrypt(msg))).toEqual(msg);
  });

  it('a server without Kerberos answers the Kerberos-first offer with NTLM (not first: MIC required)', async () => {
    const sspi = await negotiateSspi();
    const { c, s } = await pair(sspi, BOTH, { packageList: '!kerberos', packages: { NTLM: {} } });
    const tokens = await drive(c, s);
    expect(decode(tokens[1])).toEqual({
      kind: 'resp',
      negState: NegState.acceptIncomplete,
      supportedMech: MechOid.ntlm,
    });
    expect(s.token().user).toBe('alice');
  });

  it('falls back to NTLM when Kerberos cannot start (the KDC unreachable: its first leg fails)', async () => {
    const krb = fakeKerberos().rule({
      slot: 'initLsaModeContext',
      call: 1,
      status: SecStatus.SEC_E_NO_AUTHENTICATING_AUTHORITY,
    });
    const sspi = await negotiateSspi({ kerberos: krb });
    const { c, s } = await pair(sspi);
    const tokens = await drive(c, s);
    expect(decode(tokens[0])).toMatchObject({ mechTypes: [MechOid.ntlm] });
    expect(c.query(SecPkgAttrExtra.NEGOTIATION_PACKAGE)).toMatchObject({ packageInfo: { name: 'NTLM' } });
    expect(s.token().user).toBe('alice');
  });

  it('the package list restricts a credential (kerberos,!ntlm)', async () => {
    const sspi = await negotiateSspi();
    const { c } = await pair(sspi, { packageList: 'kerberos,!ntlm', packages: { Kerberos: {}, NTLM: NTLM_USER } });
    expect(decode(await c.step())).toMatchObject({ mechTypes: [MechOid.kerberos] });
  });

  it('refuses to acquire when no package gives a credential, and says why', async () => {
    const sspi = await negotiateSspi({ kerberos: false });
    const r = await sspi.acquireCredentialsHandle({
      package: 'Negotiate',
      credentialUse: 2,
      authData: { packageList: 'ntlm' },
    });
    expect(r.status).toBe(SecStatus.SEC_E_NO_CREDENTIALS);
    expect(String((r.cause as Error).message)).toMatch(/NTLM: SEC_E_NO_CREDENTIALS/);
  });
});
