/**
 * Runs under Windows Node in Wine: one side of wire.ts's session through the Windows provider
 * (@sspkit/provider-windows, secur32.dll), connecting to the Linux peer on 127.0.0.1.
 *
 *   session.ts <initiator|acceptor> <package> <port> [target]
 *
 * Env: SSPKIT_LAYOUT (`split` or `stream`, how sealed frames are opened); SSPKIT_CALLER_SIZED=1 to
 * give AcceptSecurityContext a caller-sized output buffer instead of ASC_REQ_ALLOCATE_MEMORY (which
 * the convenience layer always asks for, and Wine 8's NTLM acceptor ignores, then writes the token
 * through the NULL pointer: the process dies); and for an explicit
 * identity SSPKIT_USER, SSPKIT_DOMAIN, SSPKIT_PASSWORD (otherwise the logon session's credentials:
 * Wine's Kerberos takes the TGT in KRB5CCNAME as initiator and the keytab in KRB5_KTNAME as acceptor).
 * The result (writeResult) is the session's report, or `{ error }` when the session could not start.
 */
import { AscReq, IscReq, Registry, SecBufferType, SspiDispatcher, clientContext, serverContext } from '@sspkit/core';
import { liveHandleCount, windowsPackages } from '@sspkit/provider-windows';
import { connectFramed } from '../../native/framing.js';
import { acceptorSession, initiatorSession } from '../wire.js';
import type { SealedLayout, SessionReport } from '../wire.js';
import { writeResult } from './result.js';

const [role, pkg, port, target] = process.argv.slice(2);
const layout: SealedLayout = process.env['SSPKIT_LAYOUT'] === 'stream' ? 'stream' : 'split';
const user = process.env['SSPKIT_USER'];
const authData =
  user === undefined
    ? {}
    : {
        authData: {
          user,
          domain: process.env['SSPKIT_DOMAIN'] ?? '',
          password: process.env['SSPKIT_PASSWORD'] ?? '',
        },
      };
const REQ =
  IscReq.MUTUAL_AUTH | IscReq.REPLAY_DETECT | IscReq.SEQUENCE_DETECT | IscReq.CONFIDENTIALITY | IscReq.INTEGRITY;

async function run(): Promise<SessionReport> {
  const registry = new Registry();
  for (const p of windowsPackages()) {
    try {
      await registry.load(p.module, `@sspkit/provider-windows:${p.windowsName}`);
    } catch {
      // a package secur32 does not enumerate (Wine has no WDigest) is not offered
    }
  }
  const sspi = new SspiDispatcher(registry);
  if (process.env['SSPKIT_CALLER_SIZED'] === '1') callerSizedAccept(sspi, pkg!);
  const conn = await connectFramed(Number(port), false);
  try {
    if (role === 'initiator') {
      const ctx = await clientContext(sspi, {
        package: pkg!,
        targetName: target ?? '',
        requirements: REQ,
        ...authData,
      });
      try {
        return await initiatorSession(ctx, conn, { name: 'windows', layout });
      } finally {
        ctx.dispose();
      }
    }
    const ctx = await serverContext(sspi, { package: pkg!, ...authData });
    try {
      return await acceptorSession(ctx, conn, { layout });
    } finally {
      ctx.dispose();
    }
  } finally {
    conn.close();
  }
}

/** AcceptSecurityContext with an output token of the package's cbMaxToken, never ASC_REQ_ALLOCATE_MEMORY. */
function callerSizedAccept(sspi: SspiDispatcher, name: string): void {
  const info = sspi.enumerateSecurityPackages().packages.find((p) => p.name === name);
  const maxToken = info?.maxToken ?? 12000;
  const accept = sspi.acceptSecurityContext.bind(sspi);
  sspi.acceptSecurityContext = (params) => {
    for (const b of params.output?.buffers ?? [])
      if (b.type === SecBufferType.TOKEN && b.data.length === 0) b.data = new Uint8Array(maxToken);
    return accept({ ...params, contextReq: params.contextReq & ~AscReq.ALLOCATE_MEMORY });
  };
}

try {
  const report = await run();
  writeResult({ ...report, liveHandles: liveHandleCount() });
} catch (err) {
  const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
  writeResult({ error: err instanceof Error ? `${err.message}${cause}` : String(err) });
}
