/**
 * Runs under Windows Node in Wine: one side of wire.ts's session through the Windows provider
 * (@sspkit/provider-windows, secur32.dll), connecting to the Linux peer on 127.0.0.1.
 *
 *   session.ts <initiator|acceptor> <package> <port> [target]
 *
 * Env: SSPKIT_LAYOUT (`split` or `stream`, how sealed frames are opened); SSPKIT_SIGN_FIRST=1 and
 * SSPKIT_SEAL_JOIN=data-first (wire.ts); SSPKIT_MIN_TRAILER=N to size EncryptMessage's token at least N bytes (Wine 8's Kerberos
 * reports a cbSecurityTrailer it then finds too small); and for an explicit
 * identity SSPKIT_USER, SSPKIT_DOMAIN, SSPKIT_PASSWORD (otherwise the logon session's credentials:
 * Wine's Kerberos takes the TGT in KRB5CCNAME as initiator and the keytab in KRB5_KTNAME as acceptor).
 * The result (writeResult) is the session's report, or `{ error }` when the session could not start.
 */
import { IscReq, Registry, SecPkgAttr, SspiDispatcher, clientContext, serverContext } from '@sspkit/core';
import type { CtxtHandle, SecPkgContextSizes } from '@sspkit/core';
import { liveHandleCount, windowsPackages } from '@sspkit/provider-windows';
import { connectFramed } from '../../native/framing.js';
import { acceptorSession, initiatorSession } from '../wire.js';
import type { SealedLayout, SessionReport } from '../wire.js';
import { writeResult } from './result.js';

const [role, pkg, port, target] = process.argv.slice(2);
const layout: SealedLayout = process.env['SSPKIT_LAYOUT'] === 'stream' ? 'stream' : 'split';
const signFirst = process.env['SSPKIT_SIGN_FIRST'] === '1';
const join = process.env['SSPKIT_SEAL_JOIN'] === 'data-first' ? 'data-first' : 'token-first';
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
  const minTrailer = Number(process.env['SSPKIT_MIN_TRAILER'] ?? '0');
  if (minTrailer > 0) atLeastTrailer(sspi, minTrailer);
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
        return await initiatorSession(ctx, conn, { name: 'windows', layout, signFirst, join });
      } finally {
        ctx.dispose();
      }
    }
    const ctx = await serverContext(sspi, { package: pkg!, ...authData });
    try {
      return await acceptorSession(ctx, conn, { layout, signFirst, join });
    } finally {
      ctx.dispose();
    }
  } finally {
    conn.close();
  }
}

/** SECPKG_ATTR_SIZES with cbSecurityTrailer raised to `min` (what the convenience layer sizes TOKEN by). */
function atLeastTrailer(sspi: SspiDispatcher, min: number): void {
  const query = sspi.queryContextAttributes.bind(sspi);
  sspi.queryContextAttributes = ((ctx: CtxtHandle, attribute: number) => {
    const r = query(ctx, attribute);
    if (attribute !== SecPkgAttr.SIZES || r.buffer === undefined) return r;
    const sizes = r.buffer as SecPkgContextSizes;
    return { ...r, buffer: { ...sizes, securityTrailer: Math.max(sizes.securityTrailer, min) } };
  }) as typeof sspi.queryContextAttributes;
}

try {
  const report = await run();
  writeResult({ ...report, liveHandles: liveHandleCount() });
} catch (err) {
  const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
  writeResult({ error: err instanceof Error ? `${err.message}${cause}` : String(err) });
}
