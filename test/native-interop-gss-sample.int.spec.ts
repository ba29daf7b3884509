/**
 * Interop with MIT's sample programs gss-server / gss-client (krb5-gss-samples), Kerberos and
 * SPNEGO, speaking their framing (gss-misc.c): our client to gss-server with a sealed message and
 * the server's MIC back; gss-client to our server, which unwraps and signs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AscReq, IscReq, SecStatus, clientContext, createSspi, serverContext } from '@sspkit/core';
import type { SspiDispatcher } from '@sspkit/core';
import { findFreeLoopbackPort } from '@sspkit/krb5-lab';
import type { Lab } from '@sspkit/krb5-lab';
import { kerberosModule, negotiateModule } from '@sspkit/provider-native';
import { FramedSocket, SampleFlag, connectFramed, waitForListener } from './native/framing.js';
import { startLab, stopLab } from './native/lab.js';
import { listenOnce, startPeer } from './native/peers.js';
import { initiatorHandshake, openToken, sealToken } from './native/sessions.js';

const REQ =
  IscReq.MUTUAL_AUTH | IscReq.REPLAY_DETECT | IscReq.SEQUENCE_DETECT | IscReq.CONFIDENTIALITY | IscReq.INTEGRITY;

describe.each([
  ['Kerberos', []],
  ['Negotiate-MIT', ['-spnego']],
] as const)('%s with MIT gss-sample', (pkg, clientArgs) => {
  let lab: Lab;
  let sspi: SspiDispatcher;
  beforeAll(async () => {
    lab = await startLab();
    sspi = await createSspi({ modules: [kerberosModule, negotiateModule] });
  });
  afterAll(async () => {
    await stopLab(lab);
  });

  it('our client authenticates to gss-server, sends a sealed message and verifies its MIC', async () => {
    const port = await findFreeLoopbackPort();
    const peer = startPeer(lab, '/usr/bin/gss-server', ['-port', String(port), '-once', 'HTTP@localhost']);
    await waitForListener(port);
    const conn = await connectFramed(port, true);
    const client = await clientContext(sspi, {
      package: pkg,
      authData: { ccache: lab.ccache },
      targetName: 'HTTP/localhost',
      requirements: REQ,
    });
    try {
      conn.send(new Uint8Array(0), SampleFlag.NOOP | SampleFlag.CONTEXT_NEXT);
      await initiatorHandshake(client, conn, SampleFlag.CONTEXT);
      const message = Buffer.from('sealed by sspkit');
      conn.send(
        sealToken(client, message),
        SampleFlag.DATA | SampleFlag.WRAPPED | SampleFlag.ENCRYPTED | SampleFlag.SEND_MIC,
      );
      const mic = await conn.recv();
      expect(mic.flags & SampleFlag.MIC).toBe(SampleFlag.MIC);
      client.verify(message, mic.data);
      conn.send(new Uint8Array(0), SampleFlag.NOOP);
      expect(await peer.exited).toBe(0);
      expect(peer.stdout()).toContain(`Accepted connection: "${lab.userPrincipal}"`);
      expect(peer.stdout()).toContain('Received message: "sealed by sspkit"');
      expect(peer.stderr()).not.toContain('not encrypted');
    } finally {
      conn.close();
      client.dispose();
      peer.child.kill();
    }
  });

  it('gss-client authenticates to our server, which unwraps its message and signs it', async () => {
    const { port, accepted, close: closeListener } = await listenOnce();
    const peer = startPeer(lab, '/usr/bin/gss-client', [
      ...clientArgs,
      '-port',
      String(port),
      '127.0.0.1',
      'HTTP@localhost',
      'hello from gss-client',
    ]);
    const conn = new FramedSocket(await accepted, true);
    const server = await serverContext(sspi, {
      package: pkg,
      authData: { keytab: lab.serviceKeytab },
      requirements: AscReq.CONNECTION,
    });
    try {
      const first = await conn.recv();
      expect(first.flags).toBe(SampleFlag.NOOP | SampleFlag.CONTEXT_NEXT);
      while (!server.complete) {
        const frame = await conn.recv();
        expect(frame.flags & SampleFlag.CONTEXT).toBe(SampleFlag.CONTEXT);
        const out = await server.step(frame.data);
        if (out !== undefined) conn.send(out, SampleFlag.CONTEXT);
      }
      expect(server.token().user).toBe(lab.userPrincipal);
      const data = await conn.recv();
      expect(data.flags & SampleFlag.WRAPPED).toBe(SampleFlag.WRAPPED);
      const opened = openToken(sspi, server.handle!, data.data);
      expect(opened.status).toBe(SecStatus.SEC_E_OK);
      expect(opened.data.toString()).toBe('hello from gss-client');
      conn.send(server.sign(opened.data), SampleFlag.MIC);
      expect((await conn.recv()).flags).toBe(SampleFlag.NOOP);
      expect(await peer.exited, peer.stderr()).toBe(0);
      expect(peer.stdout()).toContain('Signature verified');
    } finally {
      conn.close();
      server.dispose();
      closeListener();
      peer.child.kill();
    }
  });
});
