// A client's later request on an answered context, as curl does it on Windows: MakeSignature with
// [TOKEN, PKG_PARAMS method, PKG_PARAMS URI, PKG_PARAMS body, PADDING ← Authorization].
import { Buffer } from 'node:buffer';
import { SecBufferType, SecStatus, secBuffer, secBufferDesc } from '@sspkit/core';
import type { CtxtHandle, SspiDispatcher } from '@sspkit/core';

export function nextAuthorization(sspi: SspiDispatcher, ctx: CtxtHandle, method: string, uri: string): string {
  const sig = secBufferDesc(
    secBuffer(SecBufferType.TOKEN),
    secBuffer(SecBufferType.PKG_PARAMS, Buffer.from(method, 'latin1')),
    secBuffer(SecBufferType.PKG_PARAMS, Buffer.from(uri, 'latin1')),
    secBuffer(SecBufferType.PKG_PARAMS),
    secBuffer(SecBufferType.PADDING, new Uint8Array(4096)),
  );
  if (sspi.makeSignature(ctx, 0, sig, 0) !== SecStatus.SEC_E_OK) throw new Error('MakeSignature failed');
  return Buffer.from(sig.buffers[4]?.data ?? []).toString('latin1'); // 'Digest username="…", …, nc=00000002, …'
}
