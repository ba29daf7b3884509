/**
 * Bench helper: the per-message contenders of sspkit's TypeScript RFC 4121 path (src/lucid) on the
 * same context pair the FFI lines use — gss_wrap's one-token form, the in-place layout of
 * EncryptMessage, and EncryptMessage/DecryptMessage through the whole dispatcher stack.
 */
import { AscReq, IscReq, SecBufferType, SecStatus, clientContext, createSspi, runHandshake } from '@sspkit/core';
import { secBuffer, secBufferDesc, serverContext } from '@sspkit/core';
import type { Lab } from '@sspkit/krb5-lab';
import { kerberosModule } from '../src/index.js';
import type { NativeHandle } from '../src/ffi/index.js';
import { openSession } from '../src/lucid/index.js';

/** Per-message operations, one wrap and one unwrap each. */
export interface TsContenders {
  readonly wrap: () => void;
  readonly inPlace: () => void;
  readonly dispatcher: () => void;
}

/** The TypeScript sessions and a dispatcher pair; `contenders(msg)` gives the operations for one size. */
export interface TsBench {
  contenders(msg: Buffer): TsContenders;
  release(): void;
}

/**
 * Sessions on the FFI pair (`ctx` initiator, `sctx` acceptor) and a dispatcher pair from the lab.
 * Made before the FFI pair protects any message: the lucid export carries the peer's initial
 * number, not the library's receive window, so the sessions must start where the library did.
 */
export async function tsBench(
  ctx: NativeHandle,
  sctx: NativeHandle,
  flags: number,
  lab: Lab,
  ccache: string,
): Promise<TsBench> {
  const client = openSession(ctx, flags);
  const server = openSession(sctx, flags);
  if (client === null || server === null) throw new Error('the lab enctype has no RFC 4121 session');
  const sspi = await createSspi({ modules: [kerberosModule] });
  const cl = await clientContext(sspi, {
    package: 'Kerberos',
    authData: { ccache },
    targetName: 'HTTP/localhost',
    requirements: IscReq.MUTUAL_AUTH | IscReq.CONFIDENTIALITY | IscReq.REPLAY_DETECT | IscReq.SEQUENCE_DETECT,
  });
  const sv = await serverContext(sspi, {
    package: 'Kerberos',
    authData: { keytab: lab.serviceKeytab },
    requirements: AscReq.CONNECTION,
  });
  await runHandshake(cl, sv);
  const contenders = (msg: Buffer): TsContenders => {
    const header = Buffer.alloc(client.sealedHeaderLength);
    const pieces = [{ data: Buffer.from(msg), signOnly: false }];
    const token = Buffer.alloc(client.sealedHeaderLength);
    const body = Buffer.from(msg);
    const tokenBuf = secBuffer(SecBufferType.TOKEN, token);
    const dataBuf = secBuffer(SecBufferType.DATA, body);
    const desc = secBufferDesc(tokenBuf, dataBuf);
    return {
      wrap: (): void => {
        server.unwrap(client.wrap(true, msg));
      },
      inPlace: (): void => {
        client.wrapInPlace(true, header, pieces);
        server.unwrapInPlace(header, pieces);
      },
      dispatcher: (): void => {
        // The buffers are narrowed by each call, as a caller reusing them would reset them.
        tokenBuf.data = token;
        dataBuf.data = body;
        if (sspi.encryptMessage(cl.handle!, 0, desc, 0) !== SecStatus.SEC_E_OK) throw new Error('EncryptMessage');
        if (sspi.decryptMessage(sv.handle!, desc, 0) !== SecStatus.SEC_E_OK) throw new Error('DecryptMessage');
      },
    };
  };
  return {
    contenders,
    release(): void {
      client.wipe();
      server.wipe();
      cl.dispose();
      sv.dispose();
    },
  };
}
