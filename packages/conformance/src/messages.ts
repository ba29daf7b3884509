/**
 * Per-message calls as an application makes them: a DATA buffer and a TOKEN buffer the caller
 * sized, signature or trailer written into the TOKEN buffer, data encrypted in place. A message on
 * the wire is the bytes of those buffers.
 */
import { SecBufferType, secBuffer, secBufferDesc } from '@sspkit/core';
import type { CtxtHandle, SecBufferDesc, SspiDispatcher } from '@sspkit/core';

/** The bytes that travel: data (ciphertext when sealed), token (signature or trailer), padding. */
export interface Wire {
  readonly data: Uint8Array;
  readonly token: Uint8Array;
  readonly padding: Uint8Array;
}

/** A copy of a wire message (tests alter copies, never the original). */
export function copyWire(w: Wire): Wire {
  return { data: Uint8Array.from(w.data), token: Uint8Array.from(w.token), padding: Uint8Array.from(w.padding) };
}

function wireOf(desc: SecBufferDesc): Wire {
  const get = (type: number): Uint8Array =>
    Uint8Array.from(desc.buffers.find((b) => b.type === type)?.data ?? new Uint8Array(0));
  return { data: get(SecBufferType.DATA), token: get(SecBufferType.TOKEN), padding: get(SecBufferType.PADDING) };
}

/** MakeSignature over a copy of `data` with a TOKEN buffer of `tokenSize` bytes. */
export function sign(
  sspi: SspiDispatcher,
  ctx: CtxtHandle,
  data: Uint8Array,
  tokenSize: number,
): { status: number; wire: Wire; desc: SecBufferDesc } {
  const desc = secBufferDesc(
    secBuffer(SecBufferType.DATA, Uint8Array.from(data)),
    secBuffer(SecBufferType.TOKEN, new Uint8Array(tokenSize)),
  );
  const status = sspi.makeSignature(ctx, 0, desc, 0);
  return { status, wire: wireOf(desc), desc };
}

/** VerifySignature of a wire message (copied, so the caller's bytes stay as they are). */
export function verify(sspi: SspiDispatcher, ctx: CtxtHandle, wire: Wire): number {
  const desc = secBufferDesc(
    secBuffer(SecBufferType.DATA, Uint8Array.from(wire.data)),
    secBuffer(SecBufferType.TOKEN, Uint8Array.from(wire.token)),
  );
  return sspi.verifySignature(ctx, desc, 0);
}

/** EncryptMessage of a copy of `data`: TOKEN (trailer) of `tokenSize` bytes, DATA, PADDING. */
export function seal(
  sspi: SspiDispatcher,
  ctx: CtxtHandle,
  data: Uint8Array,
  tokenSize: number,
): { status: number; wire: Wire; desc: SecBufferDesc } {
  const desc = secBufferDesc(
    secBuffer(SecBufferType.TOKEN, new Uint8Array(tokenSize)),
    secBuffer(SecBufferType.DATA, Uint8Array.from(data)),
    secBuffer(SecBufferType.PADDING, new Uint8Array(64)),
  );
  const padding = desc.buffers[2]!.data;
  const status = sspi.encryptMessage(ctx, 0, desc, 0);
  const wire = wireOf(desc);
  // A PADDING buffer the package never touched is not part of the message (stream ciphers pad nothing).
  return { status, wire: desc.buffers[2]!.data === padding ? { ...wire, padding: new Uint8Array(0) } : wire, desc };
}

/** DecryptMessage of a wire message (copied); `data` is the plaintext on success. */
export function unseal(sspi: SspiDispatcher, ctx: CtxtHandle, wire: Wire): { status: number; data: Uint8Array } {
  const desc = secBufferDesc(
    secBuffer(SecBufferType.TOKEN, Uint8Array.from(wire.token)),
    secBuffer(SecBufferType.DATA, Uint8Array.from(wire.data)),
    secBuffer(SecBufferType.PADDING, Uint8Array.from(wire.padding)),
  );
  const status = sspi.decryptMessage(ctx, desc, 0);
  return { status, data: Uint8Array.from(desc.buffers[1]!.data) };
}

/** Deterministic message bytes: `label` followed by a counter pattern, `length` bytes in all. */
export function messageBytes(label: string, length = 48): Uint8Array {
  const out = new Uint8Array(length);
  const head = new TextEncoder().encode(label);
  out.set(head.subarray(0, length));
  for (let i = head.length; i < length; i++) out[i] = (i * 37 + 11) & 0xff;
  return out;
}

/** True when the two byte arrays are equal. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
