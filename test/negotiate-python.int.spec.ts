/**
 * Interop: sspkit's pure-TypeScript Negotiate against MIT krb5's SPNEGO (python3-gssapi, a separate
 * process), with Kerberos inside and with gss-ntlmssp inside, both directions: handshake, sealed
 * messages and MICs both ways, channel bindings matching and not.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  SecBufferType,
  SecPkgAttrExtra,
  SecStatus,
  clientContext,
  createSspi,
  isSspiError,
  secBuffer,
  serverContext,
} from '@sspkit/core';
import type { AuthData, ClientContext, ServerContext, SspiDispatcher } from '@sspkit/core';
import type { Lab } from '@sspkit/krb5-lab';
import { createNegotiateModule, decodeNegotiationToken, MechOid } from '@sspkit/negotiate';
import { encodeSecChannelBindings } from '@sspkit/ntlm';
import { isAvailable, kerberosModule } from '@sspkit/provider-native';
import { ntlmForInProcessPair, NTLM_USER } from '../packages/negotiate/test/ntlm-pair.js';
import { startLab, stopLab } from './native/lab.js';
import { openToken, sealToken } from './native/sessions.js';
import { b64, SpnegoPeer, spnegoPeerAvailable, unb64 } from './negotiate/peer.js';
import type { PeerMechs } from './negotiate/peer.js';

const ready = spnegoPeerAvailable() && isAvailable().available;
if (!ready) console.warn('negotiate-python: python3-gssapi, gss-ntlmssp or libgssapi_krb5 missing; skipping');

const USERS = `${NTLM_USER.domain}:${NTLM_USER.user}:${NTLM_USER.password}\n`;
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const cbBuffer = (s: string) =>
  secBuffer(SecBufferType.CHANNEL_BINDINGS, encodeSecChannelBindings({ applicationData: enc(s) }));

let peers: SpnegoPeer[] = [];
afterEach(() => {
  for (const p of peers) p.close();
  peers = [];
});
const track = (p: SpnegoPeer): SpnegoPeer => (peers.push(p), p);

describe.skipIf(!ready)('Negotiate with MIT SPNEGO (python3-gssapi)', () => {
  let lab: Lab;
  let sspi: SspiDispatcher;
  let clientAuth: AuthData;
  let serverAuth: AuthData;
  beforeAll(async () => {
    lab = await startLab();
    sspi = await createSspi({ modules: [createNegotiateModule(), kerberosModule, ntlmForInProcessPair()] });
    clientAuth = { packages: { Kerberos: { ccache: lab.ccache }, NTLM: NTLM_USER } };
    serverAuth = { packages: { Kerberos: { keytab: lab.serviceKeytab }, NTLM: {} } };
  });
  afterAll(async () => {
    await stopLab(lab);
  });

  /** Our initiator against their acceptor; the peer's error text when it refuses. */
  /** Every token our side sent in the last handshake, to see what SPNEGO carried. */
  let sent: Uint8Array[] = [];
  const carriedMic = (): boolean =>
    sent.some((t) => {
      const r = decodeNegotiationToken(t);
      return r.ok && r.value.kind === 'resp' && r.value.mechListMIC !== undefined;
    });

  async function ourClient(
    mechs: PeerMechs,
    cb?: { ours: string; theirs: string },
  ): Promise<{ client: ClientContext; peer: SpnegoPeer } | string> {
    const client = await clientContext(sspi, {
      package: 'Negotiate',
      authData: clientAuth,
      targetName: 'HTTP/localhost',
    });
    const peer = track(SpnegoPeer.acceptor(lab, mechs, USERS));
    const extra = cb ? { extraInput: [cbBuffer(cb.ours)] } : {};
    let token = await client.step(undefined, extra);
    sent = token ? [token] : [];
    let first = true;
    for (let i = 0; i < 6 && token !== undefined; i++) {
      const r = await peer.call({ op: 'step', token: b64(token), ...(first && cb ? { cb: b64(enc(cb.theirs)) } : {}) });
      first = false;
      if (r.error) return r.error;
      if (client.complete) break;
      token = await client.step(unb64(r.token), extra);
      if (token) sent.push(token);
    }
    expect(client.complete).toBe(true);
    return { client, peer };
  }

  /** Their initiator against our acceptor; our status when we refuse. */
  async function theirClient(
    mechs: PeerMechs,
    cb?: { ours: string; theirs: string },
  ): Promise<{ server: ServerContext; peer: SpnegoPeer } | number> {
    const server = await serverContext(sspi, { package: 'Negotiate', authData: serverAuth });
    const ntlm = mechs === 'ntlm' ? NTLM_USER : undefined;
    const peer = track(SpnegoPeer.initiator(lab, mechs, 'HTTP@localhost', ntlm));
    const extra = cb ? { extraInput: [cbBuffer(cb.ours)] } : {};
    let r = await peer.call({ op: 'step', token: null, ...(cb ? { cb: b64(enc(cb.theirs)) } : {}) });
    sent = [];
    for (let i = 0; i < 6 && !server.complete; i++) {
      if (r.error) throw new Error(r.error);
      let answer: Uint8Array | undefined;
      try {
        answer = await server.step(unb64(r.token), extra);
      } catch (e) {
        if (isSspiError(e)) return e.status;
        throw e;
      }
      if (answer === undefined || answer.length === 0) break;
      sent.push(answer);
      r = await peer.call({ op: 'step', token: b64(answer) });
    }
    if (r.error) throw new Error(r.error);
    expect(server.complete && r.complete).toBe(true);
    return { server, peer };
  }

  /** Sealed messages and MICs both ways between our context and the peer's. */
  async function exchange(ours: ClientContext | ServerContext, peer: SpnegoPeer, krb5: boolean): Promise<void> {
    const up = `up from sspkit ${ours.side}`;
    const un = await peer.call({ op: 'unwrap', token: b64(sealToken(ours, enc(up))) });
    expect(un.error).toBeUndefined();
    expect(Buffer.from(unb64(un.data)).toString()).toBe(up);
    const down = 'down from python';
    const wrapped = unb64((await peer.call({ op: 'wrap', data: b64(enc(down)) })).token);
    const plain = krb5
      ? openToken(sspi, ours.handle!, wrapped)
      : {
          status: 0,
          data: Buffer.from(
            ours.decrypt({ token: wrapped.subarray(0, 16), data: wrapped.subarray(16), padding: new Uint8Array(0) }),
          ),
        };
    expect(plain.status).toBe(SecStatus.SEC_E_OK);
    expect(plain.data.toString()).toBe(down);
    const signed = enc('signed by sspkit');
    expect(await peer.call({ op: 'verify', data: b64(signed), mic: b64(ours.sign(signed)) })).toEqual({ ok: true });
    const theirs = enc('signed by python');
    ours.verify(theirs, unb64((await peer.call({ op: 'mic', data: b64(theirs) })).mic));
  }

  it.each(['krb5', 'ntlm'] as const)(
    'our client, their acceptor (%s inside): sealed messages and MICs both ways',
    async (mechs) => {
      const r = await ourClient(mechs);
      if (typeof r === 'string') throw new Error(r);
      const { client, peer } = r;
      const info = await peer.call({ op: 'info' });
      expect(info.mech).toBe(mechs === 'krb5' ? MechOid.kerberos : MechOid.ntlm);
      expect(info.initiator?.toLowerCase()).toContain('alice');
      expect(client.query(SecPkgAttrExtra.NEGOTIATION_PACKAGE)).toMatchObject({
        packageInfo: { name: mechs === 'krb5' ? 'Kerberos' : 'NTLM' },
      });
      // NTLM was not our first choice (and is NTLM): both mechListMICs went through MIT's SPNEGO.
      expect(carriedMic()).toBe(mechs === 'ntlm');
      await exchange(client, peer, mechs === 'krb5');
    },
  );

  it.each(['krb5', 'ntlm'] as const)(
    'their client, our acceptor (%s inside): sealed messages and MICs both ways',
    async (mechs) => {
      const r = await theirClient(mechs);
      if (typeof r === 'number') throw new Error(`our acceptor refused: 0x${r.toString(16)}`);
      const { server, peer } = r;
      expect((await peer.call({ op: 'info' })).mech).toBe(mechs === 'krb5' ? MechOid.kerberos : MechOid.ntlm);
      // gss-ntlmssp used its MIC, so MIT's SPNEGO and ours exchanged mechListMICs ([MS-SPNG] §3.1.5.1).
      expect(carriedMic()).toBe(mechs === 'ntlm');
      const token = server.token();
      expect(token.authenticationPackage).toBe(mechs === 'krb5' ? 'Kerberos' : 'NTLM');
      expect(token.user.toLowerCase()).toContain('alice');
      await exchange(server, peer, mechs === 'krb5');
    },
  );

  it.each(['krb5', 'ntlm'] as const)(
    'channel bindings (%s inside): matching pass, different refused, both directions',
    async (mechs) => {
      const same = await ourClient(mechs, { ours: 'tls-server-end-point:A', theirs: 'tls-server-end-point:A' });
      expect(typeof same).not.toBe('string');
      const differ = await ourClient(mechs, { ours: 'tls-server-end-point:A', theirs: 'tls-server-end-point:B' });
      expect(typeof differ).toBe('string');
      const sameIn = await theirClient(mechs, { ours: 'tls-server-end-point:A', theirs: 'tls-server-end-point:A' });
      expect(typeof sameIn).not.toBe('number');
      const differIn = await theirClient(mechs, { ours: 'tls-server-end-point:A', theirs: 'tls-server-end-point:B' });
      expect(differIn).toBe(SecStatus.SEC_E_BAD_BINDINGS);
    },
  );
});
