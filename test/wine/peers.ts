/**
 * The Linux-side peers of the Wine interop tests, on loopback TCP. The Linux side always listens and
 * the Windows script connects (its port comes as an argument), whichever side authenticates: a
 * Windows Node process cannot tell the Linux test a port through a pipe. Each peer runs one session
 * of the protocol in wire.ts and resolves with its report.
 */
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { IscReq, clientContext, createSspi, serverContext } from '@sspkit/core';
import type { SspiDispatcher } from '@sspkit/core';
import { InMemoryAccountStore, createNtlmModule } from '@sspkit/ntlm';
import { FramedSocket } from '../native/framing.js';
import { acceptorSession, initiatorSession } from './wire.js';
import type { SessionOptions, SessionReport } from './wire.js';

/** A listening peer: where the Windows script connects, and what its one session reported. */
export interface LinuxPeer {
  readonly port: number;
  readonly report: Promise<SessionReport>;
  /** Stops listening and drops the connection. Idempotent. */
  close(): void;
}

/** Listens on 127.0.0.1 (a free port) and runs `session` on the first connection. */
export async function listenForSession(session: (conn: FramedSocket) => Promise<SessionReport>): Promise<LinuxPeer> {
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  let conn: FramedSocket | undefined;
  const report = new Promise<SessionReport>((resolve, reject) => {
    server.once('connection', (socket) => {
      server.close();
      conn = new FramedSocket(socket, false);
      session(conn).then(resolve, reject);
    });
  });
  // A test that never connects must not leave an unhandled rejection behind.
  report.catch(() => undefined);
  return {
    port,
    report,
    close: () => {
      server.close();
      conn?.socket.destroy();
    },
  };
}

/** An NTLM account both sides agree on (MS-NLMP: the acceptor needs the user's NT hash). */
export interface NtlmAccount {
  readonly domain: string;
  readonly user: string;
  readonly password: string;
}

export interface NtlmPeerOptions {
  /**
   * Only for a self-test with both sides in this process: the package refuses a CHALLENGE its own
   * acceptor issued (reflection), which is what a same-process pair looks like.
   */
  readonly allowReflection?: boolean;
}

/** A dispatcher with sspkit's TypeScript NTLM package, its acceptor knowing `accounts`. */
export function ntlmSspi(accounts: readonly NtlmAccount[], options: NtlmPeerOptions = {}): Promise<SspiDispatcher> {
  const store = new InMemoryAccountStore();
  for (const a of accounts) store.addPassword(a.domain, a.user, a.password);
  const module = createNtlmModule({
    accounts: store,
    domain: 'SSPKIT',
    computer: 'LINUXPEER',
    allowReflection: options.allowReflection === true,
  });
  return createSspi({ modules: [module] });
}

const CLIENT_REQ = IscReq.CONNECTION | IscReq.CONFIDENTIALITY | IscReq.INTEGRITY | IscReq.REPLAY_DETECT;

/** sspkit's TypeScript NTLM acceptor, for a Windows initiator (Wine's secur32 client). */
export async function ntlmAcceptorPeer(
  accounts: readonly NtlmAccount[],
  options: NtlmPeerOptions = {},
): Promise<LinuxPeer> {
  const sspi = await ntlmSspi(accounts, options);
  return listenForSession(async (conn) => {
    const server = await serverContext(sspi, { package: 'NTLM' });
    try {
      return await acceptorSession(server, conn, { layout: 'split' });
    } finally {
      server.dispose();
      conn.close();
    }
  });
}

/** sspkit's TypeScript NTLM initiator, for a Windows acceptor (Wine's secur32 server, see winbind.ts). */
export async function ntlmInitiatorPeer(
  account: NtlmAccount,
  options: NtlmPeerOptions & { readonly targetName?: string; readonly session?: Partial<SessionOptions> } = {},
): Promise<LinuxPeer> {
  const sspi = await ntlmSspi([], options);
  return listenForSession(async (conn) => {
    const client = await clientContext(sspi, {
      package: 'NTLM',
      authData: { user: account.user, domain: account.domain, password: account.password },
      targetName: options.targetName ?? 'HOST/localhost',
      requirements: CLIENT_REQ,
    });
    try {
      return await initiatorSession(client, conn, { name: 'sspkit', layout: 'split', ...options.session });
    } finally {
      client.dispose();
      conn.close();
    }
  });
}
