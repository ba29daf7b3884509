/**
 * The Wine interop session (test/wine/wire.ts) and its Linux peers, checked with sspkit's TypeScript
 * NTLM on both sides over loopback TCP: what the Windows scripts will speak, proven without Wine.
 */
import { describe, expect, it } from 'vitest';
import { IscReq, clientContext, serverContext } from '@sspkit/core';
import { connectFramed } from './native/framing.js';
import type { FramedSocket } from './native/framing.js';
import { ntlmAcceptorPeer, ntlmInitiatorPeer, ntlmSspi } from './wine/peers.js';
import { acceptorSession, initiatorSession } from './wine/wire.js';

const alice = { domain: 'WINEDOM', user: 'alice', password: 'Passw0rd!' };
// Both sides in this process: NTLM's reflection check would (rightly) refuse the pair.
const SAME_PROCESS = { allowReflection: true };

async function tsInitiator(port: number, password: string, tamper?: (frame: Uint8Array) => Uint8Array) {
  const sspi = await ntlmSspi([], SAME_PROCESS);
  const client = await clientContext(sspi, {
    package: 'NTLM',
    authData: { user: alice.user, domain: alice.domain, password },
    targetName: 'HOST/localhost',
    requirements: IscReq.CONFIDENTIALITY | IscReq.INTEGRITY,
  });
  const conn = await connectFramed(port, false);
  if (tamper !== undefined) tamperAfterHandshake(conn, tamper);
  try {
    return await initiatorSession(client, conn, { name: 'test' });
  } finally {
    client.dispose();
    conn.close();
  }
}

/** Flips the sealed ping (the 4th frame the initiator sends is NEG, AUTH, then the ping). */
function tamperAfterHandshake(conn: FramedSocket, tamper: (frame: Uint8Array) => Uint8Array): void {
  const send = conn.send.bind(conn);
  let n = 0;
  conn.send = (data: Uint8Array, flags?: number) => send(++n === 3 ? tamper(data) : data, flags);
}

describe('Wine interop session over loopback (TypeScript NTLM on both sides)', () => {
  it('authenticates, then seals and signs both ways', async () => {
    const peer = await ntlmAcceptorPeer([alice], SAME_PROCESS);
    try {
      const initiator = await tsInitiator(peer.port, alice.password);
      const acceptor = await peer.report;
      expect(initiator).toMatchObject({ complete: true, legs: ['SEC_I_CONTINUE_NEEDED', 'SEC_E_OK'] });
      expect(acceptor).toMatchObject({ complete: true, user: 'alice', domain: 'WINEDOM' });
      expect(acceptor.messages).toMatchObject([
        { step: 'open', status: 'SEC_E_OK', text: 'ping from test' },
        { step: 'seal', status: 'SEC_E_OK' },
        { step: 'verify', status: 'SEC_E_OK', text: 'signed by test' },
        { step: 'sign', status: 'SEC_E_OK' },
      ]);
      expect(initiator.messages).toMatchObject([
        { step: 'seal', status: 'SEC_E_OK' },
        { step: 'open', status: 'SEC_E_OK', text: 'echo:ping from test' },
        { step: 'sign', status: 'SEC_E_OK' },
        { step: 'verify', status: 'SEC_E_OK', text: 'ack:signed by test' },
      ]);
    } finally {
      peer.close();
    }
  });

  it('reports a wrong password as the acceptor’s status, on both sides', async () => {
    const peer = await ntlmAcceptorPeer([alice], SAME_PROCESS);
    try {
      const initiator = await tsInitiator(peer.port, 'wrong');
      const acceptor = await peer.report;
      expect(acceptor.complete).toBe(false);
      expect(acceptor.error).toMatch(/^SEC_E_LOGON_DENIED/);
      expect(initiator.complete).toBe(false);
      expect(initiator.error).toMatch(/connection closed/);
    } finally {
      peer.close();
    }
  });

  it('records a tampered sealed message as SEC_E_MESSAGE_ALTERED and goes on', async () => {
    const peer = await ntlmAcceptorPeer([alice], SAME_PROCESS);
    try {
      await tsInitiator(peer.port, alice.password, (frame) => {
        const copy = Uint8Array.from(frame);
        copy[copy.length - 1]! ^= 1;
        return copy;
      });
      const acceptor = await peer.report;
      expect(acceptor.messages[0]).toEqual({ step: 'open', status: 'SEC_E_MESSAGE_ALTERED' });
      // The session goes on; sspkit's NTLM context refuses any further message after a forged one.
      expect(acceptor.messages[2]).toEqual({ step: 'verify', status: 'SEC_E_CONTEXT_EXPIRED' });
    } finally {
      peer.close();
    }
  });

  it('the initiator peer authenticates to an acceptor that connects to it', async () => {
    const peer = await ntlmInitiatorPeer(alice, SAME_PROCESS);
    const sspi = await ntlmSspi([alice], SAME_PROCESS);
    const server = await serverContext(sspi, { package: 'NTLM' });
    const conn = await connectFramed(peer.port, false);
    try {
      const acceptor = await acceptorSession(server, conn);
      const initiator = await peer.report;
      expect(acceptor).toMatchObject({ complete: true, user: 'alice', domain: 'WINEDOM' });
      expect(initiator.messages.map((m) => m.status)).toEqual(['SEC_E_OK', 'SEC_E_OK', 'SEC_E_OK', 'SEC_E_OK']);
    } finally {
      server.dispose();
      conn.close();
      peer.close();
    }
  });
});
