/**
 * Interop with Debian's python3-gssapi (a GSSAPI binding nobody here wrote), both directions,
 * Kerberos and SPNEGO: handshake, sealed wrap/unwrap both ways, MIC both ways.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AscReq, IscReq, SecStatus, clientContext, createSspi, serverContext } from '@sspkit/core';
import type { SspiDispatcher } from '@sspkit/core';
import type { Lab } from '@sspkit/krb5-lab';
import { kerberosModule, negotiateModule } from '@sspkit/provider-native';
import { FramedSocket, connectFramed } from './native/framing.js';
import { startLab, stopLab } from './native/lab.js';
import { DEBIAN_PYTHON, PYTHON_PEER, listenOnce, startPeer, waitForLine } from './native/peers.js';
import { acceptorHandshake, initiatorHandshake, openToken, sealToken } from './native/sessions.js';

const REQ =
  IscReq.MUTUAL_AUTH | IscReq.REPLAY_DETECT | IscReq.SEQUENCE_DETECT | IscReq.CONFIDENTIALITY | IscReq.INTEGRITY;

describe.each([
  ['Kerberos', 'krb5'],
  ['Negotiate-MIT', 'spnego'],
] as const)('%s with python3-gssapi (%s)', (pkg, mech) => {
  let lab: Lab;
  let sspi: SspiDispatcher;
  beforeAll(async () => {
    lab = await startLab();
    sspi = await createSspi({ modules: [kerberosModule, negotiateModule] });
  });
  afterAll(async () => {
    await stopLab(lab);
  });

  it('our client authenticates to a python server and exchanges sealed messages and MICs', async () => {
    const peer = startPeer(lab, DEBIAN_PYTHON, [PYTHON_PEER, 'server', mech]);
    const port = Number((await waitForLine(peer, /PORT (\d+)/))[1]);
    const conn = await connectFramed(port, false);
    const client = await clientContext(sspi, {
      package: pkg,
      authData: { ccache: lab.ccache },
      targetName: 'HTTP/localhost',
      requirements: REQ,
    });
    try {
      await initiatorHandshake(client, conn);
      conn.send(sealToken(client, Buffer.from('ping from sspkit')));
      const reply = openToken(sspi, client.handle!, (await conn.recv()).data);
      expect(reply.status).toBe(SecStatus.SEC_E_OK);
      expect(reply.data.toString()).toBe('echo:ping from sspkit');
      const signed = Buffer.from('signed by sspkit');
      conn.send(signed);
      conn.send(client.sign(signed));
      client.verify(Buffer.from('ack:signed by sspkit'), (await conn.recv()).data);
      expect(await peer.exited).toBe(0);
      expect(peer.stdout()).toContain(`server ok initiator=${lab.userPrincipal}`);
      expect(peer.stdout()).toContain('message=ping from sspkit');
    } finally {
      conn.close();
      client.dispose();
      peer.child.kill();
    }
  });

  it('a python client authenticates to our server and exchanges sealed messages and MICs', async () => {
    const { port, accepted, close: closeListener } = await listenOnce();
    const peer = startPeer(lab, DEBIAN_PYTHON, [PYTHON_PEER, 'client', mech, String(port), 'HTTP@localhost']);
    const conn = new FramedSocket(await accepted, false);
    const server = await serverContext(sspi, {
      package: pkg,
      authData: { keytab: lab.serviceKeytab },
      requirements: AscReq.CONNECTION,
    });
    try {
      await acceptorHandshake(server, conn);
      expect(server.token().user).toBe(lab.userPrincipal);
      const message = openToken(sspi, server.handle!, (await conn.recv()).data);
      expect(message.status).toBe(SecStatus.SEC_E_OK);
      expect(message.data.toString()).toBe('ping from python');
      conn.send(sealToken(server, Buffer.concat([Buffer.from('echo:'), message.data])));
      const signed = (await conn.recv()).data;
      server.verify(signed, (await conn.recv()).data);
      conn.send(server.sign(Buffer.concat([Buffer.from('ack:'), signed])));
      expect(await peer.exited, peer.stderr()).toBe(0);
      expect(peer.stdout()).toContain('client ok target=HTTP/localhost@' + lab.realm);
    } finally {
      conn.close();
      server.dispose();
      closeListener();
      peer.child.kill();
    }
  });
});
