/**
 * The Linux-side Kerberos peers of the Wine tests (test/wine/kerberos.ts), each met by sspkit's native
 * provider over wire.ts's session on loopback, so a failure under Wine is never the peer's: the
 * native acceptor and initiator, python3-gssapi as acceptor and (through the joining relay) initiator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AscReq, IscReq, clientContext, createSspi, serverContext } from '@sspkit/core';
import type { SspiDispatcher } from '@sspkit/core';
import type { Lab } from '@sspkit/krb5-lab';
import { kerberosModule, negotiateModule } from '@sspkit/provider-native';
import { connectFramed } from './native/framing.js';
import { startLab, stopLab } from './native/lab.js';
import {
  nativeAcceptorPeer,
  nativeInitiatorPeer,
  pythonAcceptorPeer,
  pythonInitiatorPeer,
  spn,
} from './wine/kerberos.js';
import { acceptorSession, initiatorSession } from './wine/wire.js';

const REQ =
  IscReq.MUTUAL_AUTH | IscReq.REPLAY_DETECT | IscReq.SEQUENCE_DETECT | IscReq.CONFIDENTIALITY | IscReq.INTEGRITY;
const ALL_OK = ['SEC_E_OK', 'SEC_E_OK', 'SEC_E_OK', 'SEC_E_OK'];

describe('Kerberos peers for the Wine tests', () => {
  let lab: Lab;
  let sspi: SspiDispatcher;
  beforeAll(async () => {
    lab = await startLab();
    sspi = await createSspi({ modules: [kerberosModule, negotiateModule] });
  });
  afterAll(() => stopLab(lab));

  async function initiateTo(port: number) {
    const client = await clientContext(sspi, {
      package: 'Kerberos',
      authData: { ccache: lab.ccache },
      targetName: spn(lab),
      requirements: REQ,
    });
    const conn = await connectFramed(port, false);
    try {
      return await initiatorSession(client, conn, { name: 'test', layout: 'stream' });
    } finally {
      client.dispose();
      conn.close();
    }
  }

  async function acceptFrom(port: number) {
    const server = await serverContext(sspi, {
      package: 'Kerberos',
      authData: { keytab: lab.serviceKeytab },
      requirements: AscReq.CONNECTION,
    });
    const conn = await connectFramed(port, false);
    try {
      return await acceptorSession(server, conn, { layout: 'stream' });
    } finally {
      server.dispose();
      conn.close();
    }
  }

  it('the native acceptor peer', async () => {
    const peer = await nativeAcceptorPeer(lab);
    try {
      const initiator = await initiateTo(peer.port);
      const acceptor = await peer.report;
      expect(initiator.messages.map((m) => m.status)).toEqual(ALL_OK);
      expect(acceptor).toMatchObject({ complete: true, user: lab.userPrincipal });
      expect(acceptor.messages[0]).toEqual({ step: 'open', status: 'SEC_E_OK', text: 'ping from test' });
    } finally {
      peer.close();
    }
  });

  it('the native initiator peer', async () => {
    const peer = await nativeInitiatorPeer(lab);
    try {
      const acceptor = await acceptFrom(peer.port);
      expect(acceptor).toMatchObject({ complete: true, user: lab.userPrincipal });
      expect((await peer.report).messages.map((m) => m.status)).toEqual(ALL_OK);
    } finally {
      peer.close();
    }
  });

  it('python3-gssapi as acceptor', async () => {
    const peer = await pythonAcceptorPeer(lab);
    try {
      const initiator = await initiateTo(peer.port);
      expect(initiator.messages.map((m) => m.status)).toEqual(ALL_OK);
      expect(await peer.peer.exited, peer.peer.stderr()).toBe(0);
      expect(peer.peer.stdout()).toContain(`server ok initiator=${lab.userPrincipal}`);
    } finally {
      peer.close();
    }
  });

  it('python3-gssapi as initiator, joined to the acceptor that connects', async () => {
    const peer = await pythonInitiatorPeer(lab);
    try {
      const acceptor = await acceptFrom(peer.port);
      expect(acceptor).toMatchObject({ complete: true, user: lab.userPrincipal });
      expect(acceptor.messages[0]).toEqual({ step: 'open', status: 'SEC_E_OK', text: 'ping from python' });
      expect(await peer.peer.exited, peer.peer.stderr()).toBe(0);
    } finally {
      peer.close();
    }
  });
});
