/**
 * Kerberos across Wine: the lab KDC (test/native/lab.ts) as Wine's secur32 needs it, and Linux
 * peers for a Windows script to meet — sspkit's native provider (MIT GSSAPI) and python3-gssapi
 * (test/native/gss_peer.py), as initiator or acceptor, all speaking wire.ts's session.
 */
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { AscReq, IscReq, clientContext, createSspi, serverContext } from '@sspkit/core';
import { labCopyCcache } from '@sspkit/krb5-lab';
import type { Lab } from '@sspkit/krb5-lab';
import { kerberosModule, negotiateModule } from '@sspkit/provider-native';
import { DEBIAN_PYTHON, PYTHON_PEER, startPeer, waitForLine } from '../native/peers.js';
import type { Peer } from '../native/peers.js';
import type { WineSession } from './harness.js';
import { listenForSession } from './peers.js';
import type { LinuxPeer } from './peers.js';
import { acceptorSession, initiatorSession } from './wire.js';

/**
 * The environment a Windows script needs for the lab's realm. Wine's Kerberos is the host's MIT
 * libkrb5, so the usual variables point it at the realm; the ccache is a private copy of the user's
 * TGT in the session (Wine adds its service tickets there, and a password logon writes there).
 */
export function wineKerberosEnv(lab: Lab, wine: WineSession): Record<string, string> {
  const ccache = labCopyCcache(lab, join(wine.dir, `krb5cc-${lab.id}`));
  return {
    KRB5_CONFIG: lab.krb5Conf,
    KRB5CCNAME: `FILE:${ccache}`,
    KRB5_KTNAME: `FILE:${lab.serviceKeytab}`,
    KRB5RCACHEDIR: lab.rcacheDir,
    GSS_MECH_CONFIG: lab.mechConfig,
  };
}

/** The lab's service principal as SSPI names it (`HTTP/localhost`). */
export function spn(lab: Lab): string {
  return lab.servicePrincipal.split('@')[0] ?? '';
}

const ISC_REQ =
  IscReq.MUTUAL_AUTH | IscReq.REPLAY_DETECT | IscReq.SEQUENCE_DETECT | IscReq.CONFIDENTIALITY | IscReq.INTEGRITY;

/** sspkit's native package on Linux (`Kerberos` or `Negotiate-MIT`). The lab's env must be this process's. */
type NativePackage = 'Kerberos' | 'Negotiate-MIT';

/** sspkit's native acceptor (MIT GSSAPI, the lab's keytab), for a Windows initiator. */
export function nativeAcceptorPeer(
  lab: Lab,
  pkg: NativePackage = 'Kerberos',
  options: { readonly signFirst?: boolean } = {},
): Promise<LinuxPeer> {
  return listenForSession(async (conn) => {
    const sspi = await createSspi({ modules: [kerberosModule, negotiateModule] });
    const server = await serverContext(sspi, {
      package: pkg,
      authData: { keytab: lab.serviceKeytab },
      requirements: AscReq.CONNECTION,
    });
    try {
      return await acceptorSession(server, conn, { layout: 'stream', ...options });
    } finally {
      server.dispose();
      conn.close();
    }
  });
}

/** sspkit's native initiator (the lab user's TGT), for a Windows acceptor. */
export function nativeInitiatorPeer(
  lab: Lab,
  pkg: NativePackage = 'Kerberos',
  options: { readonly signFirst?: boolean } = {},
): Promise<LinuxPeer> {
  return listenForSession(async (conn) => {
    const sspi = await createSspi({ modules: [kerberosModule, negotiateModule] });
    const client = await clientContext(sspi, {
      package: pkg,
      authData: { ccache: lab.ccache },
      targetName: spn(lab),
      requirements: ISC_REQ,
    });
    try {
      return await initiatorSession(client, conn, { name: 'sspkit', layout: 'stream', ...options });
    } finally {
      client.dispose();
      conn.close();
    }
  });
}

/** A python3-gssapi peer (gss_peer.py) the Windows script reaches on `port`; `peer.exited` is 0 when all passed. */
export interface PythonPeer {
  readonly port: number;
  readonly peer: Peer;
  close(): void;
}

/** python3-gssapi as acceptor: it listens, the Windows initiator connects to `port`. */
export async function pythonAcceptorPeer(lab: Lab, mech: 'krb5' | 'spnego' = 'krb5'): Promise<PythonPeer> {
  const peer = startPeer(lab, DEBIAN_PYTHON, [PYTHON_PEER, 'server', mech]);
  const port = Number((await waitForLine(peer, /PORT (\d+)/))[1]);
  return { port, peer, close: () => void peer.child.kill() };
}

/**
 * python3-gssapi as initiator. gss_peer.py connects to its acceptor, and the Windows acceptor cannot
 * tell us a port it listens on; so we listen for both and join the two connections.
 */
export async function pythonInitiatorPeer(lab: Lab, mech: 'krb5' | 'spnego' = 'krb5'): Promise<PythonPeer> {
  const sockets: Socket[] = [];
  const windowsSide = await listen();
  const pythonSide = await listen();
  let peer: Peer | undefined;
  const started = windowsSide.accepted.then((w) => {
    peer = startPeer(lab, DEBIAN_PYTHON, [PYTHON_PEER, 'client', mech, String(pythonSide.port), hostbased(lab)]);
    return pythonSide.accepted.then((p) => {
      sockets.push(w, p);
      w.pipe(p);
      p.pipe(w);
      return peer!;
    });
  });
  const close = (): void => {
    windowsSide.close();
    pythonSide.close();
    for (const s of sockets) s.destroy();
    peer?.child.kill();
  };
  // `peer` exists once the Windows side connected; before that, exited resolves when it does.
  const lazy: Peer = {
    get child() {
      return peer!.child;
    },
    stdout: () => peer?.stdout() ?? '',
    stderr: () => peer?.stderr() ?? '',
    exited: started.then((p) => p.exited),
  };
  return { port: windowsSide.port, peer: lazy, close };
}

function hostbased(lab: Lab): string {
  const [service, host] = spn(lab).split('/');
  return `${service ?? ''}@${host ?? ''}`;
}

async function listen(): Promise<{ port: number; accepted: Promise<Socket>; close: () => void }> {
  const server = createServer();
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    accepted,
    close: () => void server.close(),
  };
}
