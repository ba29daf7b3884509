/**
 * Expiry: a context whose ticket has ended refuses per-message calls with SEC_E_CONTEXT_EXPIRED,
 * and a credential whose TGT has ended cannot start a new handshake. The TGT is requested with a
 * 2-second lifetime (kinit -l 2s); the test waits past it (a wait, not a timing assertion).
 * A pinned service ticket (ffi/ticket-pin.ts) authenticates with the KDC gone and, once ended,
 * fails without ever connecting to one: a listener on the KDC's port counts connections.
 */
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AscReq,
  IscReq,
  SecBufferType,
  SecStatus,
  clientContext,
  createSspi,
  runHandshake,
  secBuffer,
  secBufferDesc,
  serverContext,
} from '@sspkit/core';
import { labKinit } from '@sspkit/krb5-lab';
import type { Lab } from '@sspkit/krb5-lab';
import { labStartKdc, labStopKdc } from '@sspkit/krb5-lab';
import { kerberosModule } from '@sspkit/provider-native';
import {
  acquireCredFrom,
  acquireCredWithPassword,
  GssFlag,
  importName,
  isGssErrorObject,
  pinServiceTicket,
} from '../packages/provider-native/src/ffi/index.js';
import { gssHandshake } from './native/handshake.js';
import { hostbased, startLab, stopLab } from './native/lab.js';

const FLAGS = GssFlag.MUTUAL | GssFlag.REPLAY | GssFlag.SEQUENCE | GssFlag.CONF | GssFlag.INTEG;

/** A listener on the stopped KDC's port that counts and drops every connection. */
async function countingListener(port: number): Promise<{ server: Server; connections: () => number }> {
  let n = 0;
  const server = createServer((socket) => {
    n++;
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return { server, connections: () => n };
}

describe('expired tickets', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
  });
  afterAll(async () => {
    await stopLab(lab);
  });

  it('refuse per-message calls and new handshakes with CONTEXT_EXPIRED', async () => {
    const sspi = await createSspi({ modules: [kerberosModule] });
    const ccache = join(lab.dir, 'short.ccache');
    await labKinit(lab, ccache, '2s');
    const client = await clientContext(sspi, {
      package: 'Kerberos',
      authData: { ccache },
      targetName: 'HTTP/localhost',
      requirements: IscReq.MUTUAL_AUTH | IscReq.CONFIDENTIALITY,
    });
    const server = await serverContext(sspi, {
      package: 'Kerberos',
      authData: { keytab: lab.serviceKeytab },
      requirements: AscReq.CONNECTION,
    });
    try {
      await runHandshake(client, server);
      server.verify(Buffer.from('fresh'), client.sign(Buffer.from('fresh')));
      await new Promise((r) => setTimeout(r, 3000));
      const token = secBuffer(SecBufferType.TOKEN, new Uint8Array(client.sizes.maxSignature));
      const st = sspi.makeSignature(
        client.handle!,
        0,
        secBufferDesc(secBuffer(SecBufferType.DATA, Buffer.from('late')), token),
        1,
      );
      expect(st).toBe(SecStatus.SEC_E_CONTEXT_EXPIRED);
      const again = await clientContext(sspi, {
        package: 'Kerberos',
        authData: { ccache },
        targetName: 'HTTP/localhost',
        requirements: IscReq.MUTUAL_AUTH,
      }).catch((e: unknown) => e);
      if (again instanceof Error) {
        expect(again.message).toContain('SEC_E_CONTEXT_EXPIRED');
      } else {
        const r = await sspi.initializeSecurityContext({
          credential: (
            await sspi.acquireCredentialsHandle({ package: 'Kerberos', credentialUse: 2, authData: { ccache } })
          ).credential!,
          targetName: 'HTTP/other.localhost',
          contextReq: IscReq.ALLOCATE_MEMORY,
          output: secBufferDesc(secBuffer(SecBufferType.TOKEN)),
        });
        expect(r.status).toBe(SecStatus.SEC_E_CONTEXT_EXPIRED);
        (again as { dispose(): void }).dispose();
      }
    } finally {
      client.dispose();
      server.dispose();
    }
  }, 20_000);

  it('a pinned service ticket needs no KDC while valid and, once ended, fails without contacting one', async () => {
    const ccache = join(lab.dir, 'pin.ccache');
    await labKinit(lab, ccache, '4s');
    const serverCred = (
      await acquireCredFrom({ usage: 'ACCEPT', mech: 'krb5', store: { keytab: `FILE:${lab.serviceKeytab}` } })
    ).cred;
    const cred = (await acquireCredFrom({ usage: 'INITIATE', mech: 'krb5', store: { ccache: `FILE:${ccache}` } })).cred;
    const target = importName(hostbased(lab), 'hostbased');
    const user = importName(lab.userPrincipal, 'principal');
    const first = await gssHandshake({ mech: 'krb5', clientCred: cred, serverCred, target, flags: FLAGS });
    const pin = await pinServiceTicket(cred, first.client, 'krb5');
    first.client.release();
    first.server.release();
    first.accepted.source?.release();
    expect(pin.server).toBe(lab.servicePrincipal);
    expect(pin.endsAt).toBeGreaterThan(Date.now());
    await labStopKdc(lab);
    const kdc = await countingListener(lab.port);
    try {
      const pinned = await gssHandshake({
        mech: 'krb5',
        clientCred: pin.cred,
        serverCred,
        target: pin.target,
        flags: FLAGS,
        ticketCached: true,
      });
      pinned.client.release();
      pinned.server.release();
      pinned.accepted.source?.release();
      await new Promise((r) => setTimeout(r, Math.max(0, pin.endsAt - Date.now()) + 1500));
      const late = await gssHandshake({
        mech: 'krb5',
        clientCred: pin.cred,
        serverCred,
        target: pin.target,
        flags: FLAGS,
        ticketCached: true,
      }).catch((e: unknown) => e);
      expect(isGssErrorObject(late)).toBe(true);
      expect(kdc.connections()).toBe(0);
      // The listener does see a client that needs the KDC (the control): a password credential.
      const control = await acquireCredWithPassword({
        name: user,
        password: Buffer.from(lab.password),
        usage: 'INITIATE',
        mech: 'krb5',
      }).catch((e: unknown) => e);
      expect(isGssErrorObject(control)).toBe(true);
      expect(kdc.connections()).toBeGreaterThan(0);
    } finally {
      await new Promise((r) => kdc.server.close(r));
      pin.release();
      for (const h of [cred, serverCred, target, user]) h.release();
      await labStartKdc(lab, false);
    }
  }, 20_000);
});
