/**
 * Kerberos across Wine: the Windows provider's Kerberos (Wine's secur32 over the host's MIT libkrb5)
 * against sspkit's native provider and python3-gssapi on Linux, with the lab KDC, over loopback in
 * wire.ts's session (handshake, sealed messages and signatures both ways), each side as initiator
 * and as acceptor. Skipped, with the reason printed, when Wine is missing (never under
 * SSPKIT_STRICT=1: there it fails).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '@sspkit/krb5-lab';
import { startLab, stopLab } from './native/lab.js';
import { startWine, wineAvailable } from './wine/harness.js';
import type { RunResult, WineSession } from './wine/harness.js';
import {
  nativeAcceptorPeer,
  nativeInitiatorPeer,
  pythonAcceptorPeer,
  pythonInitiatorPeer,
  spn,
  wineKerberosEnv,
} from './wine/kerberos.js';
import type { SessionReport } from './wine/wire.js';

const available = wineAvailable();
if (!available.ok) console.warn(`wine-kerberos: ${available.reason}; skipping`);

const SESSION = join(import.meta.dirname, 'wine/win/session.ts');
type WindowsReport = SessionReport & { readonly liveHandles: number; readonly error?: string };

describe.skipIf(!available.ok)('Kerberos between Wine’s secur32 and Linux', () => {
  let wine: WineSession | undefined;
  let lab: Lab | undefined;
  beforeAll(async () => {
    [wine, lab] = await Promise.all([startWine(), startLab()]);
  }, 300_000);
  afterAll(async () => {
    wine?.stop();
    await stopLab(lab);
  });

  /** The workarounds each run takes (test/wine/win/session.ts says why); `extra` may override them. */
  function windows(
    role: 'initiator' | 'acceptor',
    port: number,
    extra: Record<string, string> = {},
  ): Promise<RunResult> {
    return wine!.runWindowsNode(SESSION, {
      args: [role, 'Kerberos', String(port), ...(role === 'initiator' ? [spn(lab!)] : [])],
      env: {
        ...wineKerberosEnv(lab!, wine!),
        SSPKIT_LAYOUT: 'split',
        SSPKIT_MIN_TRAILER: '64',
        ...extra,
      },
    });
  }

  // Wine 8.0's Kerberos EncryptMessage (dlls/kerberos/unixlib.c, seal_message_no_vector) makes one
  // gss_wrap token (RRC 0) and hands its first DATA-length bytes back in DATA and the rest in TOKEN;
  // DecryptMessage joins DATA ‖ TOKEN and calls gss_unwrap. Windows' layout (MS-KILE 3.4.5.4.1: the
  // TOKEN holds the header and the rotated trailer, DATA is encrypted in place) is another, so the
  // frames the two sides join (TOKEN ‖ DATA ‖ PADDING) do not unwrap: SEC_E_MESSAGE_ALTERED from
  // sspkit's native provider, "Token header is malformed" from python3-gssapi, and SEC_E_INVALID_TOKEN
  // from Wine for an MIT wrap token split at the trailer size. The last test joins Wine's buffers in
  // Wine's order and the native acceptor opens them: the defect is Wine's layout, not the provider's.
  // Signatures interoperate both ways, so they are checked first against sspkit (signFirst): a message
  // one side cannot open would leave a gap in the other's sequence.
  const SEALING_UNDER_WINE = 'Token header is malformed or corrupt';

  it('the Windows client authenticates to sspkit’s native acceptor; signatures both ways', async () => {
    const peer = await nativeAcceptorPeer(lab!, 'Kerberos', { signFirst: true });
    try {
      const r = await windows('initiator', peer.port, { SSPKIT_SIGN_FIRST: '1' });
      expect(r.code, r.stderr).toBe(0);
      const w = r.result as WindowsReport;
      const l = await peer.report;
      expect(w).toMatchObject({ complete: true, legs: ['SEC_I_CONTINUE_NEEDED', 'SEC_E_OK'], liveHandles: 0 });
      expect(l).toMatchObject({ complete: true, user: lab!.userPrincipal });
      expect(w.messages).toMatchObject([
        { step: 'sign', status: 'SEC_E_OK' },
        { step: 'verify', status: 'SEC_E_OK', text: 'ack:signed by windows' },
        { step: 'seal', status: 'SEC_E_OK', lengths: [60, 17, 1] },
        { step: 'open', status: 'SEC_E_INVALID_TOKEN' },
      ]);
      expect(l.messages).toMatchObject([
        { step: 'verify', status: 'SEC_E_OK', text: 'signed by windows' },
        { step: 'sign', status: 'SEC_E_OK' },
        { step: 'open', status: 'SEC_E_MESSAGE_ALTERED' },
        { step: 'seal', status: 'SEC_E_OK' },
      ]);
    } finally {
      peer.close();
    }
  });

  it('a Windows-sealed message joined in Wine’s order (DATA ‖ TOKEN) is a wrap token sspkit’s native acceptor opens', async () => {
    const peer = await nativeAcceptorPeer(lab!, 'Kerberos', { signFirst: true });
    try {
      const r = await windows('initiator', peer.port, { SSPKIT_SIGN_FIRST: '1', SSPKIT_SEAL_JOIN: 'data-first' });
      expect(r.code, r.stderr).toBe(0);
      const w = r.result as WindowsReport;
      const l = await peer.report;
      expect(w.messages).toMatchObject([
        { step: 'sign', status: 'SEC_E_OK' },
        { step: 'verify', status: 'SEC_E_OK' },
        { step: 'seal', status: 'SEC_E_OK', lengths: [60, 17, 1] },
        // The native acceptor's echo, in the Windows layout, still does not open under Wine.
        { step: 'open', status: 'SEC_E_INVALID_TOKEN' },
      ]);
      expect(l.messages).toMatchObject([
        { step: 'verify', status: 'SEC_E_OK', text: 'signed by windows' },
        { step: 'sign', status: 'SEC_E_OK' },
        { step: 'open', status: 'SEC_E_OK', text: 'ping from windows' },
        { step: 'seal', status: 'SEC_E_OK' },
      ]);
    } finally {
      peer.close();
    }
  });

  it('sspkit’s native client authenticates to the Windows acceptor (keytab); signatures both ways', async () => {
    const peer = await nativeInitiatorPeer(lab!, 'Kerberos', { signFirst: true });
    try {
      const r = await windows('acceptor', peer.port, { SSPKIT_SIGN_FIRST: '1' });
      expect(r.code, r.stderr).toBe(0);
      const w = r.result as WindowsReport;
      const l = await peer.report;
      expect(w).toMatchObject({ complete: true, legs: ['SEC_E_OK'], liveHandles: 0 });
      expect(l).toMatchObject({ complete: true, legs: ['SEC_I_CONTINUE_NEEDED', 'SEC_E_OK'] });
      expect(w.messages).toMatchObject([
        { step: 'verify', status: 'SEC_E_OK', text: 'signed by sspkit' },
        { step: 'sign', status: 'SEC_E_OK' },
        { step: 'open', status: 'SEC_E_INVALID_TOKEN' },
        { step: 'seal', status: 'SEC_E_OK' },
      ]);
      expect(l.messages).toMatchObject([
        { step: 'sign', status: 'SEC_E_OK' },
        { step: 'verify', status: 'SEC_E_OK', text: 'ack:signed by sspkit' },
        { step: 'seal', status: 'SEC_E_OK' },
        { step: 'open', status: 'SEC_E_MESSAGE_ALTERED' },
      ]);
    } finally {
      peer.close();
    }
  });

  it('the Windows client authenticates to python3-gssapi', async () => {
    const peer = await pythonAcceptorPeer(lab!);
    try {
      const r = await windows('initiator', peer.port);
      const w = r.result as WindowsReport;
      expect(w).toMatchObject({ complete: true, legs: ['SEC_I_CONTINUE_NEEDED', 'SEC_E_OK'], liveHandles: 0 });
      // python3-gssapi completed its context and failed at the first unwrap, on the sealed ping.
      expect(await peer.peer.exited).toBe(1);
      expect(peer.peer.stderr()).toContain(SEALING_UNDER_WINE);
      expect(w.messages).toMatchObject([{ step: 'seal', status: 'SEC_E_OK' }]);
    } finally {
      peer.close();
    }
  });

  it('python3-gssapi authenticates to the Windows acceptor', async () => {
    const peer = await pythonInitiatorPeer(lab!);
    try {
      const r = await windows('acceptor', peer.port);
      const w = r.result as WindowsReport;
      expect(w).toMatchObject({ complete: true, legs: ['SEC_E_OK'], liveHandles: 0 });
      expect(w.messages).toMatchObject([
        { step: 'open', status: 'SEC_E_INVALID_TOKEN' },
        { step: 'seal', status: 'SEC_E_OK' },
      ]);
      expect(await peer.peer.exited).toBe(1);
      expect(peer.peer.stderr()).toContain(SEALING_UNDER_WINE);
    } finally {
      peer.close();
    }
  });
});
