/** Test helper: SSPI-side halves of the framed interop sessions (handshake, sealed messages). */
import { SecBufferType, secBuffer, secBufferDesc } from '@sspkit/core';
import type { ClientContext, CtxtHandle, ServerContext, SspiDispatcher } from '@sspkit/core';
import type { FramedSocket } from './framing.js';

/** EncryptMessage's TOKEN+DATA+PADDING joined: a standard RFC 4121 wrap token for gss_unwrap peers. */
export function sealToken(ctx: ClientContext | ServerContext, message: Uint8Array): Buffer {
  const sealed = ctx.encrypt(message);
  return Buffer.concat([sealed.token, sealed.data, sealed.padding]);
}

/** DecryptMessage with the SECBUFFER_STREAM layout: a peer's whole gss_wrap token in, the plaintext out. */
export function openToken(sspi: SspiDispatcher, ctx: CtxtHandle, token: Uint8Array): { status: number; data: Buffer } {
  const data = secBuffer(SecBufferType.DATA);
  const status = sspi.decryptMessage(
    ctx,
    secBufferDesc(secBuffer(SecBufferType.STREAM, Uint8Array.from(token)), data),
    0,
  );
  return { status, data: Buffer.from(data.data) };
}

/** Initiator side of the plain-framed handshake (the acceptor answers every token). */
export async function initiatorHandshake(client: ClientContext, conn: FramedSocket, withFlags = 0): Promise<void> {
  let out = await client.step();
  for (let i = 0; i < 8; i++) {
    conn.send(out ?? new Uint8Array(0), withFlags);
    if (client.complete) return;
    const reply = await conn.recv();
    out = await client.step(reply.data.length > 0 ? reply.data : undefined);
    if (client.complete && out === undefined) return;
  }
  throw new Error('handshake did not finish');
}

/** Acceptor side of the plain-framed handshake. */
export async function acceptorHandshake(server: ServerContext, conn: FramedSocket): Promise<void> {
  for (let i = 0; i < 8 && !server.complete; i++) {
    const frame = await conn.recv();
    const out = await server.step(frame.data);
    conn.send(out ?? new Uint8Array(0));
  }
  if (!server.complete) throw new Error('handshake did not finish');
}
